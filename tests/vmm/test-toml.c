/* tests/vmm/test-toml.c: the TOML-subset parser on valid and invalid input,
 * with the line number of each error. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "thatte-toml.h"
#include "tests/tap.h"

static thatte_toml_value *parse_ok(const char *text)
{
        thatte_toml_value *root = NULL;
        thatte_toml_error err = { 0 };
        int r = thatte_toml_parse(text, strlen(text), &root, &err);

        if (r < 0)
                tap_diag("unexpected error %d at line %u: %s", r, err.line, err.message);
        return root;
}

/* Checks that text fails at `line` with a message containing `needle`. */
static void fails(const char *text, size_t size, unsigned line, const char *needle)
{
        thatte_toml_value *root = NULL;
        thatte_toml_error err = { 0 };
        int r = thatte_toml_parse(text, size, &root, &err);

        ok(r < 0 && root == NULL, "rejects: %s", needle);
        is_int(err.line, line, "  ... at line %u", line);
        if (!ok(strstr(err.message, needle) != NULL, "  ... message mentions '%s'", needle))
                tap_diag("message was: %s", err.message);
        thatte_toml_free(root);
}

#define FAILS(text, line, needle) fails(text, sizeof(text) - 1, line, needle)

static void test_valid(void)
{
        const char *text =
                "# a profile\n"
                "[vm]\n"
                "name = \"efi-hello\"   # trailing comment\n"
                "memory = 1_024\n"
                "neg = -5\n"
                "on = true\n"
                "off = false\n"
                "lit = 'C:\\path'\n"
                "esc = \"tab\\there \\u00e9 \\U0001F600\"\n"
                "\"quoted key\" = 1\n"
                "list = [ \"a\", 'b',\n   # inside\n  \"c\", ]\n"
                "empty = []\n"
                "\r\n"
                "[[disk]]\n"
                "path = \"a.img\"\n"
                "[[disk]]\n"
                "path = \"b.img\"\n";
        thatte_toml_value *root = parse_ok(text);
        const thatte_toml_value *vm, *v, *disk;

        ok(root != NULL, "valid document parses");
        if (!root)
                return;
        vm = thatte_toml_get(root, "vm");
        ok(vm && vm->type == THATTE_TOML_TABLE && vm->line == 2, "[vm] is a table at line 2");
        v = thatte_toml_get(vm, "name");
        ok(v && v->type == THATTE_TOML_STRING && strcmp(v->string, "efi-hello") == 0, "basic string");
        is_int(v ? v->line : 0, 3, "value line recorded");
        v = thatte_toml_get(vm, "memory");
        is_int(v ? v->integer : 0, 1024, "integer with underscore");
        v = thatte_toml_get(vm, "neg");
        is_int(v ? v->integer : 0, -5, "negative integer");
        v = thatte_toml_get(vm, "on");
        ok(v && v->type == THATTE_TOML_BOOLEAN && v->boolean, "true");
        v = thatte_toml_get(vm, "off");
        ok(v && v->type == THATTE_TOML_BOOLEAN && !v->boolean, "false");
        v = thatte_toml_get(vm, "lit");
        ok(v && strcmp(v->string, "C:\\path") == 0, "literal string keeps backslash");
        v = thatte_toml_get(vm, "esc");
        ok(v && strcmp(v->string, "tab\there \xc3\xa9 \xf0\x9f\x98\x80") == 0, "escapes decoded");
        ok(thatte_toml_get(vm, "quoted key") != NULL, "quoted key");
        v = thatte_toml_get(vm, "list");
        ok(v && v->type == THATTE_TOML_ARRAY && v->array.n == 3 &&
           strcmp(v->array.items[2]->string, "c") == 0, "multi-line array with comment and trailing comma");
        v = thatte_toml_get(vm, "empty");
        ok(v && v->type == THATTE_TOML_ARRAY && v->array.n == 0, "empty array");
        disk = thatte_toml_get(root, "disk");
        ok(disk && disk->array_of_tables && disk->array.n == 2, "two [[disk]] tables");
        if (disk && disk->array.n == 2)
                ok(strcmp(thatte_toml_get(disk->array.items[1], "path")->string, "b.img") == 0,
                   "second disk's path");
        thatte_toml_free(root);
}

static void test_limits(void)
{
        static const char big_head[] = "[vm]\nx = 1\n";
        thatte_toml_value *root = NULL;
        thatte_toml_error err;
        size_t size = THATTE_TOML_MAX_SIZE + 1;
        char *big = malloc(size);

        memset(big, '\n', size);
        memcpy(big, big_head, sizeof(big_head) - 1);
        is_int(thatte_toml_parse(big, size, &root, &err), -EFBIG, "input over the size limit refused");
        free(big);
        FAILS("a = [[[[[[1]]]]]]\n", 1, "nested too deeply");
        is_int(thatte_toml_parse("", 0, &root, &err), 0, "empty input is an empty document");
        thatte_toml_free(root);
}

int main(void)
{
        test_valid();
        test_limits();
        FAILS("[vm]\nname = \"a\"\nname = \"b\"\n", 3, "duplicate key 'name' (first set at line 2)");
        FAILS("[vm]\n[boot]\n[vm]\n", 3, "already defined at line 1");
        FAILS("[disk]\n[[disk]]\n", 2, "already defined");
        FAILS("[vm]\nname = \"abc\n", 2, "unterminated string");
        FAILS("[vm]\n\nx = 1.5\n", 3, "floats");
        FAILS("x = 2024-01-01\n", 1, "dates");
        FAILS("x = 0x10\n", 1, "decimal");
        FAILS("x = 012\n", 1, "leading zeros");
        FAILS("x = 99999999999999999999\n", 1, "out of range");
        FAILS("x = 1__0\n", 1, "malformed");
        FAILS("x = {a = 1}\n", 1, "inline tables");
        FAILS("a.b = 1\n", 1, "dotted keys");
        FAILS("[a.b]\n", 1, "dotted keys");
        FAILS("x = \"\"\"a\"\"\"\n", 1, "multi-line");
        FAILS("x = \"a\\qb\"\n", 1, "unknown escape");
        FAILS("x = \"\\u0000\"\n", 1, "NUL character");
        FAILS("x = \"\\ud800\"\n", 1, "Unicode scalar");
        FAILS("x = \"a\tb\x01\"\n", 1, "control character");
        FAILS("\n\nx = \"a\0b\"\n", 3, "NUL byte");
        FAILS("[vm]\nname = \"\xc3\x28\"\n", 2, "invalid UTF-8");
        FAILS("x = \"\xed\xa0\x80\"\n", 1, "invalid UTF-8");
        FAILS("x = \"\xc0\xaf\"\n", 1, "invalid UTF-8");
        FAILS("x = 1 y\n", 1, "unexpected text after value");
        FAILS("x = [1, 2\n", 2, "unterminated array");
        FAILS("x = [1 2]\n", 1, "expected ',' or ']'");
        FAILS("x =\n", 1, "missing value");
        FAILS("x = truex\n", 1, "invalid value");
        FAILS("x\n", 1, "expected '='");
        FAILS("[vm\n", 1, "expected ']'");
        FAILS("[[disk]\n", 1, "expected ']]'");
        FAILS("= 1\n", 1, "expected a key");
        FAILS("# bell \x07\n", 1, "control character in comment");
        return tap_done();
}
