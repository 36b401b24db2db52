/* kernel/arch/x86_64/mb2-tags.c: the Multiboot2 tags (specification
 * "Boot information format"). Every field comes from the loader and is
 * checked before use: lengths against the tag, the tag against the total,
 * strings copied no further than their tag. */
#include "mb2-tags.h"

/* x86-64 physical addresses have at most 52 bits: a framebuffer past them
 * is not a framebuffer, and base + size cannot wrap below it. */
#define MB2_PHYS_LIMIT (1ull << 52)

enum {
        TAG_END = 0,
        TAG_CMDLINE = 1,
        TAG_MODULE = 3,
        TAG_MMAP = 6,
        TAG_FRAMEBUFFER = 8,
        TAG_ACPI_OLD = 14,
        TAG_ACPI_NEW = 15,
};

struct mb2_tag {
        uint32_t type, size;
};

struct mb2_module {
        struct mb2_tag tag;
        uint32_t start, end;
        char name[];
};

struct mb2_mmap {
        struct mb2_tag tag;
        uint32_t entry_size, entry_version;
};

struct mb2_mmap_entry {
        uint64_t addr, len;
        uint32_t type, reserved;
};

/* 38 bytes for direct colour: packed, or sizeof would say 40. */
struct mb2_framebuffer {
        struct mb2_tag tag;
        uint64_t addr;
        uint32_t pitch, width, height;
        uint8_t bpp, type;
        uint16_t reserved;
        uint8_t red_pos, red_bits, green_pos, green_bits, blue_pos, blue_bits;
} __attribute__((packed));

/* Copies the NUL-terminated string of at most max bytes at s (inside its
 * tag) into out, truncated to out_size - 1. Returns the length copied. */
static uint32_t copy_string(char *out, uint32_t out_size, const char *s, uint32_t max)
{
        uint32_t n = 0;

        while (n < max && n + 1 < out_size && s[n]) {
                out[n] = s[n];
                n++;
        }
        out[n] = '\0';
        return n;
}

static void take_cmdline(const struct mb2_tag *t, struct mb2_parsed *p)
{
        p->cmdline_len = copy_string(p->cmdline, sizeof(p->cmdline), (const char *)(t + 1),
                                     t->size - sizeof(*t));
}

/* A module named after its path by GRUB (`module2 FILE NAME`); an unnamed
 * first module is the root task. Its bytes are claimed, whatever the map
 * says, unless they overlap the kernel's (the claim would hand the
 * kernel's pages on as a module's). */
static void take_module(const struct mb2_tag *t, const struct mb2_keep_out *k,
                        struct arch_memmap *in, struct mb2_parsed *p)
{
        const struct mb2_module *m = (const void *)t;
        struct thatte_module *out = &p->modules[p->module_count];

        if (t->size < sizeof(*m) || m->end <= m->start || p->module_count == MB2_MAX_MODULES ||
            (m->start < k->end && m->end > k->base))
                return;
        out->base = m->start;
        out->size = m->end - m->start;
        if (!copy_string(out->name, sizeof(out->name), m->name, t->size - sizeof(*m)) &&
            p->module_count == 0)
                __builtin_memcpy(out->name, "root", 5);
        arch_memmap_claim(in, out->base, out->size, THATTE_MEM_MODULE);
        p->module_count++;
}

/* Entries are entry_size apart, which the loader chooses: offsets in 64
 * bits (no pointer past the tag), entries copied out (any alignment). */
static void take_mmap(const struct mb2_tag *t, struct arch_memmap *in)
{
        const struct mb2_mmap *m = (const void *)t;
        uint64_t step = m->entry_size;

        if (t->size < sizeof(*m) || step < sizeof(struct mb2_mmap_entry))
                return;
        for (uint64_t off = sizeof(*m); off + step <= t->size; off += step) {
                struct mb2_mmap_entry r;

                __builtin_memcpy(&r, (const uint8_t *)t + off, sizeof(r));
                arch_memmap_add(in, r.addr, r.len, arch_memmap_e820_type(r.type));
        }
}

/* The byte format of 32-bit direct colour, from GRUB's field positions. */
static uint32_t fb_format(const struct mb2_framebuffer *f)
{
        if (f->red_pos == 16 && f->green_pos == 8 && f->blue_pos == 0)
                return THATTE_FB_BGRX8888;
        if (f->red_pos == 0 && f->green_pos == 8 && f->blue_pos == 16)
                return THATTE_FB_RGBX8888;
        return THATTE_FB_BITMASK;
}

static uint32_t mask(uint8_t pos, uint8_t bits)
{
        return bits >= 32 || pos >= 32 ? 0 : (uint32_t)((1ull << bits) - 1) << pos;
}

/* Only 32 bpp direct colour with whole pixels per line, inside physical
 * memory, is handed on: the contract has no palette and no 16 or 24 bpp
 * formats. */
static void take_framebuffer(const struct mb2_tag *t, struct thatte_framebuffer *fb)
{
        const struct mb2_framebuffer *f = (const void *)t;
        uint64_t size;

        if (t->size < sizeof(*f) || f->type != 1 || f->bpp != 32 || f->pitch % 4 ||
            f->pitch / 4 < f->width || !f->addr || !f->width || !f->height)
                return;
        size = (uint64_t)f->pitch * f->height;  /* < 2^64: two 32-bit factors */
        if (f->addr >= MB2_PHYS_LIMIT || size > MB2_PHYS_LIMIT - f->addr)
                return;
        fb->base = f->addr;
        fb->size = size;
        fb->width = f->width;
        fb->height = f->height;
        fb->stride = f->pitch / 4;
        fb->format = fb_format(f);
        fb->red_mask = mask(f->red_pos, f->red_bits);
        fb->green_mask = mask(f->green_pos, f->green_bits);
        fb->blue_mask = mask(f->blue_pos, f->blue_bits);
        fb->reserved_mask = ~(fb->red_mask | fb->green_mask | fb->blue_mask);
}

static void take_tag(const struct mb2_tag *t, const struct mb2_keep_out *k,
                     struct arch_memmap *in, struct mb2_parsed *p)
{
        switch (t->type) {
        case TAG_CMDLINE: take_cmdline(t, p); break;
        case TAG_MODULE: take_module(t, k, in, p); break;
        case TAG_MMAP: take_mmap(t, in); break;
        case TAG_FRAMEBUFFER: take_framebuffer(t, &p->fb); break;
        case TAG_ACPI_OLD:
        case TAG_ACPI_NEW:
                if (!p->rsdp_copy && t->size >= sizeof(*t) + MB2_RSDP_COPY)
                        p->rsdp_copy = (const uint8_t *)(t + 1);
                break;
        }
}

/* The tags: total size first, then tags at 8-byte steps, each inside the
 * total, until the end tag or the total (a missing end tag ends nothing
 * early and reads nothing more). */
void mb2_tags_parse(const void *info, uint32_t max, const struct mb2_keep_out *k,
                    struct arch_memmap *in, struct mb2_parsed *ret)
{
        const uint8_t *base = info;
        uint64_t total = max >= 8 ? *(const uint32_t *)base : 0, off = 8;

        __builtin_memset(ret, 0, sizeof(*ret));
        if (total > max)
                total = 0;
        while (off + sizeof(struct mb2_tag) <= total) {
                const struct mb2_tag *t = (const void *)(base + off);

                if (t->type == TAG_END || t->size < sizeof(*t) || t->size > total - off)
                        break;
                take_tag(t, k, in, ret);
                off += ((uint64_t)t->size + 7) & ~7ull;
        }
}

