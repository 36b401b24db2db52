/* src/libthatte/thatte-toml.c: the TOML-subset parser (see thatte-toml.h).
 *
 * A single pass over the input, line by line: each line is blank, a comment,
 * a table header or `key = value`. Values are parsed by recursive descent;
 * recursion happens only for nested arrays and is capped by
 * THATTE_TOML_MAX_DEPTH. Every error is reported with the line where the
 * parser stood, and the partial tree is freed. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thatte-toml.h"
#include "thatte-toml-internal.h"

typedef struct parser {
        const char *p;
        const char *end;
        unsigned line;
        thatte_toml_value *root;
        thatte_toml_value *current;     /* table receiving key = value lines */
        thatte_toml_error *err;
} parser;

static int parse_value(parser *ps, unsigned depth, thatte_toml_value **ret);

static __attribute__((format(printf, 2, 3))) int fail(parser *ps, const char *fmt, ...)
{
        va_list ap;

        ps->err->line = ps->line;
        va_start(ap, fmt);
        vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
        va_end(ap);
        return -EINVAL;
}

static int at_end(const parser *ps)
{
        return ps->p >= ps->end;
}

static int peek(const parser *ps)
{
        return at_end(ps) ? -1 : (unsigned char)*ps->p;
}

static void skip_blanks(parser *ps)
{
        while (peek(ps) == ' ' || peek(ps) == '\t')
                ps->p++;
}

static void skip_comment(parser *ps)
{
        if (peek(ps) != '#')
                return;
        while (!at_end(ps) && *ps->p != '\n')
                ps->p++;
}

/* Consumes a line ending (LF or CRLF). Returns 1 if one was there. */
static int eat_newline(parser *ps)
{
        if (peek(ps) == '\r' && ps->end - ps->p >= 2 && ps->p[1] == '\n')
                ps->p++;
        if (peek(ps) != '\n')
                return 0;
        ps->p++;
        ps->line++;
        return 1;
}

/* After a header or a value only blanks and a comment may follow. */
static int expect_line_end(parser *ps, const char *after)
{
        skip_blanks(ps);
        skip_comment(ps);
        if (at_end(ps) || eat_newline(ps))
                return 0;
        return fail(ps, "unexpected text after %s", after);
}

/* Comments inside a comment never carry control characters other than tab
 * in TOML; the same rule keeps terminals safe when lines are echoed. */
static int check_comment_chars(parser *ps)
{
        for (const char *q = ps->p; q < ps->end && *q != '\n'; q++) {
                unsigned char c = (unsigned char)*q;

                if ((c < 0x20 && c != '\t' && !(c == '\r' && q + 1 < ps->end && q[1] == '\n')) || c == 0x7f)
                        return fail(ps, "control character in comment");
        }
        return 0;
}

static int is_bare_key_char(int c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
}

static int append_byte(char **buf, size_t *len, size_t *cap, char c)
{
        if (*len + 1 >= *cap) {
                size_t ncap = *cap ? *cap * 2 : 32;
                char *n = realloc(*buf, ncap);

                if (!n)
                        return -ENOMEM;
                *buf = n;
                *cap = ncap;
        }
        (*buf)[(*len)++] = c;
        (*buf)[*len] = 0;
        return 0;
}

static int append_utf8(char **buf, size_t *len, size_t *cap, uint32_t cp)
{
        char tmp[4];
        size_t n;
        int r = 0;

        if (cp < 0x80) {
                tmp[0] = (char)cp;
                n = 1;
        } else if (cp < 0x800) {
                tmp[0] = (char)(0xc0 | (cp >> 6));
                tmp[1] = (char)(0x80 | (cp & 0x3f));
                n = 2;
        } else if (cp < 0x10000) {
                tmp[0] = (char)(0xe0 | (cp >> 12));
                tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
                tmp[2] = (char)(0x80 | (cp & 0x3f));
                n = 3;
        } else {
                tmp[0] = (char)(0xf0 | (cp >> 18));
                tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
                tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
                tmp[3] = (char)(0x80 | (cp & 0x3f));
                n = 4;
        }
        for (size_t i = 0; i < n && r == 0; i++)
                r = append_byte(buf, len, cap, tmp[i]);
        return r;
}

static int parse_unicode_escape(parser *ps, int digits, uint32_t *ret)
{
        uint32_t cp = 0;

        for (int i = 0; i < digits; i++) {
                int c = peek(ps);

                cp <<= 4;
                if (c >= '0' && c <= '9')
                        cp |= (uint32_t)(c - '0');
                else if (c >= 'a' && c <= 'f')
                        cp |= (uint32_t)(c - 'a' + 10);
                else if (c >= 'A' && c <= 'F')
                        cp |= (uint32_t)(c - 'A' + 10);
                else
                        return fail(ps, "\\%c escape needs %d hex digits", digits == 4 ? 'u' : 'U', digits);
                ps->p++;
        }
        if (cp == 0)
                return fail(ps, "NUL character in string");
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return fail(ps, "escape is not a Unicode scalar value");
        *ret = cp;
        return 0;
}

static int parse_escape(parser *ps, char **buf, size_t *len, size_t *cap)
{
        static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
        const char *hit;
        uint32_t cp = 0;
        int c = peek(ps), r;

        if (c > 0 && (hit = strchr(from, c))) {
                ps->p++;
                return append_byte(buf, len, cap, to[hit - from]);
        }
        if (c == 'u' || c == 'U') {
                ps->p++;
                r = parse_unicode_escape(ps, c == 'u' ? 4 : 8, &cp);
                return r < 0 ? r : append_utf8(buf, len, cap, cp);
        }
        return fail(ps, "unknown escape sequence in string");
}

/* A basic ("...") or literal ('...') single-line string. */
static int parse_string(parser *ps, char **ret)
{
        char quote = *ps->p, *buf = NULL;
        size_t len = 0, cap = 0;
        int r = 0;

        if (ps->end - ps->p >= 3 && ps->p[1] == quote && ps->p[2] == quote)
                return fail(ps, "multi-line strings are not supported");
        ps->p++;
        r = append_byte(&buf, &len, &cap, 0);   /* so "" yields an empty string */
        len = 0;
        while (r == 0) {
                int c = peek(ps);

                if (c < 0 || c == '\n' || c == '\r') {
                        r = fail(ps, "unterminated string");
                } else if (c == quote) {
                        ps->p++;
                        *ret = buf;
                        return 0;
                } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                        r = fail(ps, "control character in string");
                } else if (c == '\\' && quote == '"') {
                        ps->p++;
                        r = parse_escape(ps, &buf, &len, &cap);
                } else {
                        ps->p++;
                        r = append_byte(&buf, &len, &cap, (char)c);
                }
        }
        free(buf);
        return r;
}

static int parse_key(parser *ps, char **ret)
{
        const char *start = ps->p;
        char *key;
        int r;

        if (peek(ps) == '"' || peek(ps) == '\'') {
                r = parse_string(ps, &key);
                if (r < 0)
                        return r;
                if (!*key) {
                        free(key);
                        return fail(ps, "empty key");
                }
        } else {
                while (is_bare_key_char(peek(ps)))
                        ps->p++;
                if (ps->p == start)
                        return fail(ps, "expected a key");
                key = strndup(start, (size_t)(ps->p - start));
                if (!key)
                        return -ENOMEM;
        }
        skip_blanks(ps);
        if (peek(ps) == '.') {
                free(key);
                return fail(ps, "dotted keys are not supported");
        }
        *ret = key;
        return 0;
}

/* Decimal integers with optional sign and single underscores between digits. */
static int parse_integer(parser *ps, int64_t *ret)
{
        int neg = 0, prev_digit = 0;
        uint64_t v = 0, limit;
        const char *start;

        if (peek(ps) == '+' || peek(ps) == '-')
                neg = *ps->p++ == '-';
        start = ps->p;
        if (peek(ps) == '0' && ps->end - ps->p > 1 && (ps->p[1] == 'x' || ps->p[1] == 'o' || ps->p[1] == 'b'))
                return fail(ps, "only decimal integers are supported");
        limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        for (;;) {
                int c = peek(ps);

                if (c >= '0' && c <= '9') {
                        if (v > (limit - (uint64_t)(c - '0')) / 10)
                                return fail(ps, "integer out of range");
                        v = v * 10 + (uint64_t)(c - '0');
                        prev_digit = 1;
                } else if (c == '_' && prev_digit) {
                        prev_digit = 0;
                } else {
                        break;
                }
                ps->p++;
        }
        if (ps->p == start || !prev_digit)
                return fail(ps, "malformed integer");
        if (*start == '0' && ps->p - start > 1)
                return fail(ps, "leading zeros are not allowed");
        if (peek(ps) == '.' || peek(ps) == 'e' || peek(ps) == 'E' || peek(ps) == ':' || peek(ps) == '-')
                return fail(ps, "floats, dates and times are not supported");
        *ret = neg ? (int64_t)(0 - v) : (int64_t)v;
        return 0;
}

/* Blank space inside an array may span lines and hold comments. */
static int skip_array_space(parser *ps)
{
        int r;

        for (;;) {
                skip_blanks(ps);
                if (peek(ps) == '#') {
                        r = check_comment_chars(ps);
                        if (r < 0)
                                return r;
                        skip_comment(ps);
                }
                if (!eat_newline(ps))
                        return 0;
        }
}

static int parse_array(parser *ps, unsigned depth, thatte_toml_value *array)
{
        thatte_toml_value *item;
        int r;

        ps->p++;        /* '[' */
        for (;;) {
                r = skip_array_space(ps);
                if (r < 0)
                        return r;
                if (peek(ps) == ']') {
                        ps->p++;
                        return 0;
                }
                r = parse_value(ps, depth + 1, &item);
                if (r < 0)
                        return r;
                r = toml_array_add(array, item);
                if (r < 0) {
                        thatte_toml_free(item);
                        return r;
                }
                r = skip_array_space(ps);
                if (r < 0)
                        return r;
                if (peek(ps) == ',')
                        ps->p++;
                else if (peek(ps) != ']')
                        return fail(ps, at_end(ps) ? "unterminated array" : "expected ',' or ']' in array");
        }
}

/* Consumes `word` if it stands alone (not the start of a longer word). */
static int match_word(parser *ps, const char *word)
{
        size_t n = strlen(word);

        if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
                return 0;
        if ((size_t)(ps->end - ps->p) > n && is_bare_key_char(ps->p[n]))
                return 0;
        ps->p += n;
        return 1;
}

static int parse_scalar(parser *ps, thatte_toml_value *v)
{
        int c = peek(ps);

        if (c == '"' || c == '\'') {
                v->type = THATTE_TOML_STRING;
                return parse_string(ps, &v->string);
        }
        if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
                v->type = THATTE_TOML_INTEGER;
                return parse_integer(ps, &v->integer);
        }
        v->type = THATTE_TOML_BOOLEAN;
        if (match_word(ps, "true")) {
                v->boolean = true;
                return 0;
        }
        if (match_word(ps, "false")) {
                v->boolean = false;
                return 0;
        }
        v->type = THATTE_TOML_INTEGER;  /* nothing owned to free */
        if (c == '{')
                return fail(ps, "inline tables are not supported");
        if (c == 'i' || c == 'n')
                return fail(ps, "floats are not supported");
        return fail(ps, c < 0 || c == '\n' || c == '\r' || c == '#' ? "missing value" : "invalid value");
}

static int parse_value(parser *ps, unsigned depth, thatte_toml_value **ret)
{
        thatte_toml_value *v;
        int r;

        if (depth > THATTE_TOML_MAX_DEPTH)
                return fail(ps, "arrays nested too deeply");
        v = toml_value_new(THATTE_TOML_INTEGER, ps->line);
        if (!v)
                return -ENOMEM;
        if (peek(ps) == '[') {
                v->type = THATTE_TOML_ARRAY;
                r = parse_array(ps, depth, v);
        } else {
                r = parse_scalar(ps, v);
        }
        if (r < 0) {
                thatte_toml_free(v);
                return r;
        }
        *ret = v;
        return 0;
}

static int parse_keyval(parser *ps)
{
        const thatte_toml_value *old;
        thatte_toml_value *v;
        char *key;
        int r;

        r = parse_key(ps, &key);
        if (r < 0)
                return r;
        old = thatte_toml_get(ps->current, key);
        if (old) {
                r = fail(ps, "duplicate key '%s' (first set at line %u)", key, old->line);
                free(key);
                return r;
        }
        if (peek(ps) != '=') {
                free(key);
                return fail(ps, "expected '=' after key");
        }
        ps->p++;
        skip_blanks(ps);
        r = parse_value(ps, 0, &v);
        if (r < 0) {
                free(key);
                return r;
        }
        r = toml_table_add(ps->current, key, v);
        if (r < 0) {
                free(key);
                thatte_toml_free(v);
                return r;
        }
        return expect_line_end(ps, "value");
}

/* Opens the table a `[name]` or `[[name]]` header names. */
static int open_table(parser *ps, char *name, int aot)
{
        thatte_toml_value *existing = (thatte_toml_value *)thatte_toml_get(ps->root, name);
        thatte_toml_value *t, *arr;
        int r;

        if (existing && !(aot && existing->array_of_tables))
                return fail(ps, "'%s' already defined at line %u", name, existing->line);
        t = toml_value_new(THATTE_TOML_TABLE, ps->line);
        if (!t)
                return -ENOMEM;
        t->explicit_table = true;
        if (existing) {
                r = toml_array_add(existing, t);
                if (r < 0)
                        goto fail;
                free(name);
                ps->current = t;
                return 0;
        }
        arr = aot ? toml_value_new(THATTE_TOML_ARRAY, ps->line) : t;
        if (!arr) {
                r = -ENOMEM;
                goto fail;
        }
        arr->array_of_tables = aot;
        if (aot && (r = toml_array_add(arr, t)) < 0) {
                free(arr);
                goto fail;
        }
        r = toml_table_add(ps->root, name, arr);
        if (r < 0) {
                if (aot)
                        free(arr->array.items), free(arr);
                goto fail;
        }
        ps->current = t;
        return 0;
fail:
        thatte_toml_free(t);
        return r;
}

static int parse_header(parser *ps)
{
        int aot = 0, r;
        char *name;

        ps->p++;
        if (peek(ps) == '[') {
                aot = 1;
                ps->p++;
        }
        skip_blanks(ps);
        r = parse_key(ps, &name);
        if (r < 0)
                return r;
        if (peek(ps) != ']' || (aot && (ps->end - ps->p < 2 || ps->p[1] != ']'))) {
                free(name);
                return fail(ps, aot ? "expected ']]' after table name" : "expected ']' after table name");
        }
        ps->p += aot ? 2 : 1;
        r = open_table(ps, name, aot);
        if (r < 0) {
                free(name);
                return r;
        }
        return expect_line_end(ps, "table header");
}

static int parse_line(parser *ps)
{
        skip_blanks(ps);
        if (peek(ps) == '#') {
                int r = check_comment_chars(ps);

                if (r < 0)
                        return r;
                skip_comment(ps);
        }
        if (at_end(ps) || eat_newline(ps))
                return 0;
        if (peek(ps) == '[')
                return parse_header(ps);
        return parse_keyval(ps);
}

static unsigned line_of_offset(const char *data, size_t offset)
{
        unsigned line = 1;

        for (size_t i = 0; i < offset; i++)
                line += data[i] == '\n';
        return line;
}

static int check_encoding(const char *data, size_t size, thatte_toml_error *err)
{
        size_t off;
        int r = thatte_utf8_validate(data, size, &off);

        if (r == 0)
                return 0;
        err->line = line_of_offset(data, off);
        snprintf(err->message, sizeof(err->message), "%s",
                 r == -EINVAL ? "NUL byte in file" : "invalid UTF-8");
        return -EINVAL;
}

int thatte_toml_parse(const char *data, size_t size, thatte_toml_value **ret_root,
                      thatte_toml_error *err)
{
        parser ps = { .p = data, .end = data + size, .line = 1, .err = err };
        int r;

        if (size > THATTE_TOML_MAX_SIZE) {
                err->line = 0;
                snprintf(err->message, sizeof(err->message), "file larger than %d bytes",
                         THATTE_TOML_MAX_SIZE);
                return -EFBIG;
        }
        r = check_encoding(data, size, err);
        if (r < 0)
                return r;
        ps.root = toml_value_new(THATTE_TOML_TABLE, 1);
        if (!ps.root)
                return -ENOMEM;
        ps.current = ps.root;
        while (!at_end(&ps)) {
                r = parse_line(&ps);
                if (r < 0) {
                        thatte_toml_free(ps.root);
                        return r;
                }
        }
        *ret_root = ps.root;
        return 0;
}
