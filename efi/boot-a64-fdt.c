/* efi/boot-a64-fdt.c: /chosen/bootargs and linux,uefi-* set in a copy of a flattened
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
#define CHOSEN_N BOOT_A64_CHOSEN_N

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

/* The /chosen properties written: bootargs (when there is a command
 * line) and the linux,uefi-* ones (when asked), in this order. */
static const char *const chosen_names[CHOSEN_N] = {
        "bootargs", "linux,uefi-system-table", "linux,uefi-mmap-start", "linux,uefi-mmap-size",
        "linux,uefi-mmap-desc-size", "linux,uefi-mmap-desc-ver",
};
static const uint8_t chosen_sizes[CHOSEN_N] = { 0, 8, 8, 4, 4, 4 };

struct chosen_set {
        struct boot_a64_chosen *c;
        uint32_t nameoff[CHOSEN_N];
};

static int chosen_wanted(const struct boot_a64_chosen *c, unsigned i)
{
        return i == 0 ? c->cmdline != NULL : c->uefi;
}

static void emit_chosen(struct out *o, struct chosen_set *cs)
{
        uint8_t zero[8] = { 0 };

        for (unsigned i = 0; i < CHOSEN_N; i++) {
                if (!chosen_wanted(cs->c, i))
                        continue;
                emit32(o, TOK_PROP);
                emit32(o, i ? chosen_sizes[i] : (uint32_t)str_len(cs->c->cmdline) + 1);
                emit32(o, cs->nameoff[i]);
                cs->c->value_off[i] = o->len;
                if (i)
                        emit(o, zero, chosen_sizes[i]);
                else
                        emit(o, cs->c->cmdline, str_len(cs->c->cmdline) + 1);
        }
}

static int chosen_replaced(const struct chosen_set *cs, const uint8_t *name, size_t len)
{
        for (unsigned i = 0; i < CHOSEN_N; i++)
                if (chosen_wanted(cs->c, i) && same(name, len, chosen_names[i]))
                        return 1;
        return 0;
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

/* Copies the structure block, dropping the /chosen properties cs sets and
 * adding the new ones (in /chosen, made at the end of / when missing). Properties precede
 * subnodes in a node (readers such as libfdt stop at the first subnode),
 * so it goes before /chosen's first subnode or its end. */
static int copy_structure(const struct tree *t, struct chosen_set *cs, struct out *o)
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
                                emit_chosen(o, cs);
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
                                emit_chosen(o, cs);
                                chosen_open = 0;
                        }
                        if (depth == 1 && !chosen_seen) {
                                emit32(o, TOK_BEGIN_NODE);
                                emit(o, "chosen", 7);
                                emit_chosen(o, cs);
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
                        if (!(chosen_open && depth == 2 && chosen_replaced(cs, name, name_len)))
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

/* The offset of name in the strings block, or strings_len when the name
 * must be appended. */
static uint32_t name_offset(const struct tree *t, const char *name)
{
        for (uint32_t off = 0; off < t->strings_len;) {
                size_t n;
                const uint8_t *s = string_at(t, off, &n);

                if (!s)
                        break;
                if (same(s, n, name))
                        return off;
                off += (uint32_t)n + 1;
        }
        return t->strings_len;
}

size_t boot_a64_fdt_set_chosen(const uint8_t *src, size_t src_len, struct boot_a64_chosen *c,
                               uint8_t *out, size_t cap)
{
        struct tree t;
        struct out o = { out, cap, HEADER_SIZE, 0 };
        struct chosen_set cs = { c, { 0 } };
        uint32_t rsv, structure, strings, strings_len;

        if (read_header(src, src_len, &t) < 0 || cap < HEADER_SIZE)
                return 0;
        for (unsigned i = 0; i < CHOSEN_N; i++) {
                cs.nameoff[i] = name_offset(&t, chosen_names[i]);
                if (cs.nameoff[i] == t.strings_len)     /* appended in order after the source's */
                        for (unsigned j = 0; j < i; j++)
                                if (chosen_wanted(c, j) && cs.nameoff[j] >= t.strings_len)
                                        cs.nameoff[i] += (uint32_t)str_len(chosen_names[j]) + 1;
                if (!chosen_wanted(c, i))
                        cs.nameoff[i] = 0;
        }
        o.len = (o.len + 7) & ~(size_t)7;
        rsv = (uint32_t)o.len;
        if (copy_reservations(&t, get32(src + 4), &o) < 0)
                return 0;
        structure = (uint32_t)o.len;
        if (copy_structure(&t, &cs, &o) < 0)
                return 0;
        strings = (uint32_t)o.len;
        if (t.strings_len)
                emit(&o, src + t.strings_off, t.strings_len);
        o.len = strings + t.strings_len;        /* the strings block needs no padding */
        strings_len = t.strings_len;
        for (unsigned i = 0; i < CHOSEN_N; i++)
                if (chosen_wanted(c, i) && cs.nameoff[i] >= t.strings_len) {
                        emit(&o, chosen_names[i], str_len(chosen_names[i]) + 1);
                        strings_len += (uint32_t)str_len(chosen_names[i]) + 1;
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

size_t boot_a64_fdt_set_bootargs(const uint8_t *src, size_t src_len, const char *cmdline,
                                 uint8_t *out, size_t cap)
{
        struct boot_a64_chosen c = { cmdline, 0, { 0 } };

        return boot_a64_fdt_set_chosen(src, src_len, &c, out, cap);
}

static void put64(uint8_t *p, uint64_t v)
{
        put32(p, (uint32_t)(v >> 32));
        put32(p + 4, (uint32_t)v);
}

void boot_a64_fdt_fill_uefi(uint8_t *tree, const struct boot_a64_chosen *c, uint64_t system_table,
                            uint64_t map, uint32_t map_size, uint32_t desc_size, uint32_t desc_ver)
{
        put64(tree + c->value_off[1], system_table);
        put64(tree + c->value_off[2], map);
        put32(tree + c->value_off[3], map_size);
        put32(tree + c->value_off[4], desc_size);
        put32(tree + c->value_off[5], desc_ver);
}
