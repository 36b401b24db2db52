/* efi/boot-a64-fdt.c: /chosen/bootargs set in a copy of a flattened
 * device tree (see boot-a64-fdt.h). The tree is rewritten token by token
 * rather than edited in place, so every offset is checked once, on the way
 * through, and the result's blocks are laid out afresh. */
#include "boot-a64-fdt.h"

#define FDT_MAGIC 0xd00dfeedu
#define HEADER_SIZE 40
#define TOK_BEGIN_NODE 1u
#define TOK_END_NODE 2u
#define TOK_PROP 3u
#define TOK_NOP 4u
#define TOK_END 9u

static uint32_t get32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)(v >> 24);
        p[1] = (uint8_t)(v >> 16);
        p[2] = (uint8_t)(v >> 8);
        p[3] = (uint8_t)v;
}

static size_t str_len(const char *s)
{
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

static int same(const uint8_t *a, size_t a_len, const char *b)
{
        size_t i = 0;

        for (; i < a_len && b[i]; i++)
                if (a[i] != (uint8_t)b[i])
                        return 0;
        return i == a_len && !b[i];
}

/* The output being written; a write past cap sets failed. */
struct out {
        uint8_t *buf;
        size_t cap, len;
        int failed;
};

static void emit(struct out *o, const void *data, size_t n)
{
        const uint8_t *d = data;

        if (o->failed || n > o->cap - o->len) {
                o->failed = 1;
                return;
        }
        for (size_t i = 0; i < n; i++)
                o->buf[o->len++] = d[i];
        while (o->len % 4 && o->len < o->cap)
                o->buf[o->len++] = 0;
}

static void emit32(struct out *o, uint32_t v)
{
        uint8_t b[4];

        put32(b, v);
        emit(o, b, 4);
}

static void emit_bootargs(struct out *o, uint32_t nameoff, const char *cmdline)
{
        emit32(o, TOK_PROP);
        emit32(o, (uint32_t)str_len(cmdline) + 1);
        emit32(o, nameoff);
        emit(o, cmdline, str_len(cmdline) + 1);
}

/* The source's blocks, checked against its length. */
struct tree {
        const uint8_t *base;
        uint32_t struct_off, struct_len, strings_off, strings_len, rsv_off;
};

static int read_header(const uint8_t *src, size_t len, struct tree *t)
{
        uint32_t total;

        if (len < HEADER_SIZE || get32(src) != FDT_MAGIC || get32(src + 20) < 17)
                return -1;
        total = get32(src + 4);
        t->base = src;
        t->struct_off = get32(src + 8);
        t->strings_off = get32(src + 12);
        t->rsv_off = get32(src + 16);
        t->strings_len = get32(src + 32);
        t->struct_len = get32(src + 36);
        if (total > len || total < HEADER_SIZE || t->struct_off > total ||
            t->struct_len > total - t->struct_off || t->strings_off > total ||
            t->strings_len > total - t->strings_off || t->rsv_off > total || t->rsv_off % 8)
                return -1;
        return 0;
}

/* The reservation entries up to and including the terminating zero one. */
static int copy_reservations(const struct tree *t, size_t total, struct out *o)
{
        for (uint32_t off = t->rsv_off; off + 16 <= total; off += 16) {
                emit(o, t->base + off, 16);
                if (!get32(t->base + off) && !get32(t->base + off + 4) && !get32(t->base + off + 8) &&
                    !get32(t->base + off + 12))
                        return 0;
        }
        return -1;
}

/* The NUL-terminated string at off in the strings block, or NULL. */
static const uint8_t *string_at(const struct tree *t, uint32_t off, size_t *ret_len)
{
        const uint8_t *s = t->base + t->strings_off;

        for (uint32_t i = off; i < t->strings_len; i++)
                if (!s[i]) {
                        *ret_len = i - off;
                        return s + off;
                }
        return NULL;
}

/* Copies the structure block, dropping /chosen/bootargs and adding the new
 * one (in /chosen, made at the end of / when missing). Properties precede
 * subnodes in a node (readers such as libfdt stop at the first subnode),
 * so it goes before /chosen's first subnode or its end. */
static int copy_structure(const struct tree *t, const char *cmdline, uint32_t nameoff, struct out *o)
{
        const uint8_t *s = t->base + t->struct_off;
        uint32_t pos = 0, depth = 0;
        /* chosen_open: /chosen is the node at depth 2, its bootargs not yet written */
        int chosen_open = 0, chosen_seen = 0;

        while (pos + 4 <= t->struct_len) {
                uint32_t tok = get32(s + pos), start = pos;

                pos += 4;
                if (tok == TOK_BEGIN_NODE) {
                        uint32_t n = 0;

                        while (pos + n < t->struct_len && s[pos + n])
                                n++;
                        if (pos + n >= t->struct_len)
                                return -1;
                        if (chosen_open && depth == 2) {
                                emit_bootargs(o, nameoff, cmdline);
                                chosen_open = 0;
                        }
                        if (depth == 1 && same(s + pos, n, "chosen"))
                                chosen_open = chosen_seen = 1;
                        depth++;
                        pos = (pos + n + 1 + 3) & ~3u;
                        emit(o, s + start, 4 + n + 1);
                } else if (tok == TOK_END_NODE) {
                        if (!depth)
                                return -1;
                        if (chosen_open && depth == 2) {
                                emit_bootargs(o, nameoff, cmdline);
                                chosen_open = 0;
                        }
                        if (depth == 1 && !chosen_seen) {
                                emit32(o, TOK_BEGIN_NODE);
                                emit(o, "chosen", 7);
                                emit_bootargs(o, nameoff, cmdline);
                                emit32(o, TOK_END_NODE);
                        }
                        depth--;
                        emit32(o, TOK_END_NODE);
                } else if (tok == TOK_PROP) {
                        uint32_t plen, poff;
                        size_t name_len;
                        const uint8_t *name;

                        if (pos + 8 > t->struct_len)
                                return -1;
                        plen = get32(s + pos);
                        poff = get32(s + pos + 4);
                        if (plen > t->struct_len - pos - 8)
                                return -1;
                        name = string_at(t, poff, &name_len);
                        if (!name)
                                return -1;
                        pos = (pos + 8 + plen + 3) & ~3u;
                        if (!(chosen_open && depth == 2 && same(name, name_len, "bootargs")))
                                emit(o, s + start, 12 + plen);
                } else if (tok == TOK_NOP) {
                        continue;
                } else if (tok == TOK_END) {
                        if (depth)
                                return -1;
                        emit32(o, TOK_END);
                        return 0;
                } else {
                        return -1;
                }
        }
        return -1;
}

/* The offset of "bootargs" in the strings block, or strings_len when the
 * name must be appended. */
static uint32_t bootargs_name(const struct tree *t)
{
        for (uint32_t off = 0; off < t->strings_len;) {
                size_t n;
                const uint8_t *s = string_at(t, off, &n);

                if (!s)
                        break;
                if (same(s, n, "bootargs"))
                        return off;
                off += (uint32_t)n + 1;
        }
        return t->strings_len;
}

size_t boot_a64_fdt_set_bootargs(const uint8_t *src, size_t src_len, const char *cmdline,
                                 uint8_t *out, size_t cap)
{
        struct tree t;
        struct out o = { out, cap, HEADER_SIZE, 0 };
        uint32_t nameoff, rsv, structure, strings, strings_len;

        if (read_header(src, src_len, &t) < 0 || cap < HEADER_SIZE)
                return 0;
        nameoff = bootargs_name(&t);
        o.len = (o.len + 7) & ~(size_t)7;
        rsv = (uint32_t)o.len;
        if (copy_reservations(&t, get32(src + 4), &o) < 0)
                return 0;
        structure = (uint32_t)o.len;
        if (copy_structure(&t, cmdline, nameoff, &o) < 0)
                return 0;
        strings = (uint32_t)o.len;
        strings_len = t.strings_len;
        if (t.strings_len)
                emit(&o, src + t.strings_off, t.strings_len);
        o.len = strings + strings_len;  /* the strings block needs no padding */
        if (nameoff == t.strings_len) {
                emit(&o, "bootargs", 9);
                strings_len += 9;
                o.len = strings + strings_len;
        }
        if (o.failed)
                return 0;
        put32(out, FDT_MAGIC);
        put32(out + 4, (uint32_t)o.len);
        put32(out + 8, structure);
        put32(out + 12, strings);
        put32(out + 16, rsv);
        put32(out + 20, 17);
        put32(out + 24, 16);
        put32(out + 28, get32(src + 28));
        put32(out + 32, strings_len);
        put32(out + 36, strings - structure);
        return o.len;
}
