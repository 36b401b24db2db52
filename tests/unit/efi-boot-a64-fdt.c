/* tests/unit/efi-boot-a64-fdt.c: boot_a64_fdt_set_bootargs on device trees
 * built here token by token: bootargs replaced in /chosen (its other
 * properties and subnodes kept), /chosen made when missing, reservations
 * kept; the result walked again by this test's own reader. Hostile trees
 * (bad magic, old version, blocks outside the blob, a property longer than
 * the structure, a missing end, an unknown token) and a too small output
 * give 0. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "boot-a64-fdt.h"
#include "tests/tap.h"

static uint8_t blob[4096], out[4096];
static size_t len;

static void put32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)(v >> 24);
        p[1] = (uint8_t)(v >> 16);
        p[2] = (uint8_t)(v >> 8);
        p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The builder: structure at 0x100, strings at 0x800 of blob. */
static size_t spos, strpos;

static void tok(uint32_t v)
{
        put32(blob + 0x100 + spos, v);
        spos += 4;
}

static void raw(const void *d, size_t n)
{
        memcpy(blob + 0x100 + spos, d, n);
        spos = (spos + n + 3) & ~(size_t)3;
}

static void node(const char *name)
{
        tok(1);
        raw(name, strlen(name) + 1);
}

static void prop(const char *name, const char *value)
{
        size_t off = 0;

        while (off < strpos && strcmp((char *)blob + 0x800 + off, name))
                off += strlen((char *)blob + 0x800 + off) + 1;
        if (off >= strpos) {
                off = strpos;
                memcpy(blob + 0x800 + strpos, name, strlen(name) + 1);
                strpos += strlen(name) + 1;
        }
        tok(3);
        tok((uint32_t)strlen(value) + 1);
        tok((uint32_t)off);
        raw(value, strlen(value) + 1);
}

static void begin(void)
{
        memset(blob, 0, sizeof(blob));
        spos = strpos = 0;
        put32(blob + 0x40 + 0, 0);
        put32(blob + 0x40 + 4, 0x48000000);    /* one reservation */
        put32(blob + 0x40 + 12, 0x1000);
}

static void finish_tree(void)
{
        tok(9);
        put32(blob, 0xd00dfeed);
        put32(blob + 4, (uint32_t)(0x800 + strpos));
        put32(blob + 8, 0x100);
        put32(blob + 12, 0x800);
        put32(blob + 16, 0x40);
        put32(blob + 20, 17);
        put32(blob + 24, 16);
        put32(blob + 32, (uint32_t)strpos);
        put32(blob + 36, (uint32_t)spos);
        len = 0x800 + strpos;
}

/* The reader: "path:prop=value;" for every property, into text. */
static int walk(const uint8_t *t, size_t n, char *text, size_t cap)
{
        const uint8_t *s = t + get32(t + 8), *str = t + get32(t + 12);
        size_t pos = 0, used = 0, depth = 0;
        char path[256] = "";

        if (get32(t) != 0xd00dfeed || get32(t + 4) != n)
                return -1;
        text[0] = 0;
        for (;;) {
                uint32_t k = get32(s + pos);

                pos += 4;
                if (k == 1) {
                        const char *name = (const char *)s + pos;

                        if (depth++)
                                snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s", name);
                        pos = (pos + strlen(name) + 1 + 3) & ~(size_t)3;
                } else if (k == 2) {
                        char *slash = strrchr(path, '/');

                        if (--depth && slash)
                                *slash = 0;
                } else if (k == 3) {
                        uint32_t l = get32(s + pos), off = get32(s + pos + 4);

                        used += (size_t)snprintf(text + used, cap - used, "%s:%s=%.*s;", path[0] ? path : "/",
                                                 (const char *)str + off, (int)(l ? l - 1 : 0),
                                                 (const char *)s + pos + 8);
                        pos = (pos + 8 + l + 3) & ~(size_t)3;
                } else {
                        return k == 9 && depth == 0 ? 0 : -1;
                }
        }
}

static void test_replace(void)
{
        char text[1024];
        size_t n;

        begin();
        node("");
        prop("compatible", "linux,dummy-virt");
        node("chosen");
        prop("bootargs", "old");
        prop("stdout-path", "/pl011@9000000");
        node("sub");
        prop("x", "y");
        tok(2);
        tok(2);
        node("memory@40000000");
        prop("device_type", "memory");
        tok(2);
        tok(2);
        finish_tree();
        n = boot_a64_fdt_set_bootargs(blob, len, "thatte.test=panic", out, sizeof(out));
        ok(n > 0, "a tree with /chosen/bootargs: rewritten");
        if (!ok(n && walk(out, n, text, sizeof(text)) == 0, "the result walks"))
                return;
        tap_diag("%s", text);
        ok(strstr(text, "/chosen:bootargs=thatte.test=panic;") != NULL, "bootargs replaced");
        ok(!strstr(text, "=old;"), "the old value gone");
        ok(strstr(text, "/chosen:bootargs=thatte.test=panic;/chosen/sub:") != NULL,
           "bootargs before /chosen's subnode (properties precede subnodes)");
        ok(strstr(text, "/chosen:stdout-path=/pl011@9000000;") && strstr(text, "/chosen/sub:x=y;") &&
           strstr(text, "/memory@40000000:device_type=memory;") && strstr(text, "/:compatible=linux,dummy-virt;"),
           "everything else kept");
        ok(get32(out + get32(out + 16) + 4) == 0x48000000 && get32(out + get32(out + 16) + 12) == 0x1000,
           "the reservation kept");
        ok(get32(out + 20) == 17 && get32(out + 36) == get32(out + 12) - get32(out + 8),
           "version 17, structure size right");
        /* Twice: the name is found among the strings now. */
        memcpy(blob, out, n);
        len = n;
        n = boot_a64_fdt_set_bootargs(blob, len, "", out, sizeof(out));
        ok(n && walk(out, n, text, sizeof(text)) == 0 && strstr(text, "/chosen:bootargs=;") &&
           !strstr(text, "panic"), "an empty command line replaces it again");
}

static void test_no_chosen(void)
{
        char text[1024];
        size_t n;

        begin();
        node("");
        prop("compatible", "x");
        node("memory");
        tok(2);
        tok(2);
        finish_tree();
        n = boot_a64_fdt_set_bootargs(blob, len, "a b", out, sizeof(out));
        ok(n && walk(out, n, text, sizeof(text)) == 0 && strstr(text, "/chosen:bootargs=a b;") &&
           strstr(text, "/:compatible=x;"), "no /chosen: made, with bootargs");
        ok(boot_a64_fdt_set_bootargs(blob, len, "a b", out, n - 1) == 0, "one byte too few: 0");
        ok(boot_a64_fdt_set_bootargs(blob, len, "a b", out, n) == n, "exactly enough: done");
}

/* The value of /chosen's property name in tree t (n bytes), its length
 * in *ret_len; NULL when absent. */
static const uint8_t *chosen_prop(const uint8_t *t, const char *name, uint32_t *ret_len)
{
        const uint8_t *s = t + get32(t + 8), *str = t + get32(t + 12);
        size_t pos = 0, depth = 0, in_chosen = 0;

        for (;;) {
                uint32_t k = get32(s + pos);

                pos += 4;
                if (k == 1) {
                        const char *node_name = (const char *)s + pos;

                        in_chosen = ++depth == 2 && !strcmp(node_name, "chosen");
                        pos = (pos + strlen(node_name) + 1 + 3) & ~(size_t)3;
                } else if (k == 2) {
                        depth--;
                        in_chosen = 0;
                } else if (k == 3) {
                        uint32_t l = get32(s + pos), off = get32(s + pos + 4);

                        if (in_chosen && !strcmp((const char *)str + off, name)) {
                                *ret_len = l;
                                return s + pos + 8;
                        }
                        pos = (pos + 8 + l + 3) & ~(size_t)3;
                } else if (k != 4) {
                        return NULL;
                }
        }
}

static void test_uefi(void)
{
        struct boot_a64_chosen c = { "x=1", 1, { 0 } };
        const uint8_t *v;
        uint32_t l = 0;
        char text[1024];
        size_t n;

        begin();
        node("");
        node("chosen");
        prop("linux,uefi-mmap-size", "stale");  /* replaced, not doubled */
        node("sub");
        prop("x", "y");
        tok(2);
        tok(2);
        tok(2);
        finish_tree();
        n = boot_a64_fdt_set_chosen(blob, len, &c, out, sizeof(out));
        if (!ok(n && walk(out, n, text, sizeof(text)) == 0, "bootargs and the uefi properties: the result walks"))
                return;
        ok(strstr(text, "/chosen:bootargs=x=1;") && !strstr(text, "stale"), "bootargs in, the stale value gone");
        v = (const uint8_t *)strstr(text, "linux,uefi-mmap-desc-ver=");
        ok(v && (const char *)v < strstr(text, "/chosen/sub:"),
           "the properties before /chosen's subnode");
        boot_a64_fdt_fill_uefi(out, &c, 0x5f00a018, 0x4f123000ull << 8, 0xc00, 48, 1);
        v = chosen_prop(out, "linux,uefi-system-table", &l);
        ok(v && l == 8 && get32(v) == 0 && get32(v + 4) == 0x5f00a018, "system table, u64 big-endian");
        v = chosen_prop(out, "linux,uefi-mmap-start", &l);
        ok(v && l == 8 && get32(v) == 0x4f && get32(v + 4) == 0x12300000, "mmap-start, u64 big-endian");
        v = chosen_prop(out, "linux,uefi-mmap-size", &l);
        ok(v && l == 4 && get32(v) == 0xc00, "mmap-size, u32");
        v = chosen_prop(out, "linux,uefi-mmap-desc-size", &l);
        ok(v && l == 4 && get32(v) == 48, "mmap-desc-size, u32");
        v = chosen_prop(out, "linux,uefi-mmap-desc-ver", &l);
        ok(v && l == 4 && get32(v) == 1, "mmap-desc-ver, u32");
        ok(walk(out, n, text, sizeof(text)) == 0, "filled in place: still a tree");
        ok(boot_a64_fdt_set_chosen(blob, len, &c, out, n - 1) == 0, "one byte too few: 0");
}

static void hostile(const char *what, size_t at, uint32_t value)
{
        begin();
        node("");
        node("chosen");
        prop("bootargs", "old");
        tok(2);
        tok(2);
        finish_tree();
        put32(blob + at, value);
        is_int(boot_a64_fdt_set_bootargs(blob, len, "x", out, sizeof(out)), 0, "%s: refused", what);
}

int main(void)
{
        test_replace();
        test_no_chosen();
        test_uefi();
        hostile("bad magic", 0, 0xd00dfeee);
        hostile("version 16", 20, 16);
        hostile("totalsize beyond the buffer", 4, 4096 + 1);
        hostile("structure outside the blob", 8, 0x7fffffff);
        hostile("structure size beyond the blob", 36, 0x10000);
        hostile("strings size beyond the blob", 32, 0x10000);
        /* The structure: 0x00 root, 0x08 chosen, 0x14 bootargs (length at
         * 0x18, name at 0x1c), 0x24 and 0x28 ends of node, 0x2c end. */
        hostile("property longer than the structure", 0x100 + 0x18, 0xfffffff0);
        hostile("property name outside the strings", 0x100 + 0x1c, 0x1000);
        hostile("unknown token", 0x100 + 0x08, 7);
        hostile("no end token", 36, 0x2c);
        hostile("end inside a node", 0x100 + 0x28, 9);
        hostile("unaligned reservations", 16, 0x44);
        return tap_done();
}
