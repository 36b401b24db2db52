/* kernel/arch/x86_64/multiboot2.c: GRUB's `multiboot2` command boots
 * thatte-mk through the header at the start of head.S's .text.boot (the
 * Multiboot2 specification: 32-bit protected mode, eax = 0x36d76289,
 * ebx = the boot information, a list of 8-byte aligned tags). head.S has
 * entered long mode with the boot page tables (identity 4 GiB), as for
 * PVH, so physical addresses are pointers here.
 *
 * This file turns the tags into the same struct thatte_bootinfo the other
 * entries hand over: the memory map (E820 types, normalised by memmap.c),
 * modules by the name GRUB passed after their path (`module2 FILE root`),
 * the command line, the framebuffer GRUB set up (VBE on a BIOS), the RSDP.
 * Everything it keeps is copied into the kernel's .bss, so the information
 * block itself may be reused; module bytes are claimed as MODULE. Every
 * field comes from the loader and is checked before use: a tag list that
 * runs past its own size stops the walk. */
#include "arch.h"
#include "memmap.h"

#define MB2_BOOT_MAGIC 0x36d76289u
#define MB2_MAX_MAP 128u
#define MB2_MAX_MODULES 4u

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

static struct thatte_bootinfo mb2_bi;
static struct thatte_mem_range mb2_map[MB2_MAX_MAP];
static struct thatte_module mb2_modules[MB2_MAX_MODULES];
static char mb2_cmdline[256];
static struct arch_memmap mb2_in;

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

static void take_cmdline(const struct mb2_tag *t)
{
        mb2_bi.cmdline_len = copy_string(mb2_cmdline, sizeof(mb2_cmdline), (const char *)(t + 1),
                                         t->size - sizeof(*t));
}

/* A module named after its path by GRUB (`module2 FILE NAME`); an unnamed
 * first module is the root task. Its bytes are claimed, whatever the map says. */
static void take_module(const struct mb2_tag *t)
{
        const struct mb2_module *m = (const void *)t;
        struct thatte_module *out = &mb2_modules[mb2_bi.module_count];

        if (t->size < sizeof(*m) || m->end <= m->start || mb2_bi.module_count == MB2_MAX_MODULES)
                return;
        out->base = m->start;
        out->size = m->end - m->start;
        if (!copy_string(out->name, sizeof(out->name), m->name, t->size - sizeof(*m)) &&
            mb2_bi.module_count == 0)
                __builtin_memcpy(out->name, "root", 5);
        arch_memmap_claim(&mb2_in, out->base, out->size, THATTE_MEM_MODULE);
        mb2_bi.module_count++;
}

static void take_mmap(const struct mb2_tag *t)
{
        const struct mb2_mmap *m = (const void *)t;
        const uint8_t *e = (const uint8_t *)(m + 1), *end = (const uint8_t *)t + t->size;

        if (t->size < sizeof(*m) || m->entry_size < sizeof(struct mb2_mmap_entry))
                return;
        for (; e + m->entry_size <= end; e += m->entry_size) {
                const struct mb2_mmap_entry *r = (const void *)e;

                arch_memmap_add(&mb2_in, r->addr, r->len, arch_memmap_e820_type(r->type));
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

/* Only 32 bpp direct colour with whole pixels per line is handed on: the
 * contract has no palette and no 16 or 24 bpp formats. */
static void take_framebuffer(const struct mb2_tag *t)
{
        const struct mb2_framebuffer *f = (const void *)t;
        struct thatte_framebuffer *fb = &mb2_bi.fb;

        if (t->size < sizeof(*f) || f->type != 1 || f->bpp != 32 || f->pitch % 4 ||
            f->pitch / 4 < f->width || !f->addr || !f->width || !f->height)
                return;
        fb->base = f->addr;
        fb->size = (uint64_t)f->pitch * f->height;
        fb->width = f->width;
        fb->height = f->height;
        fb->stride = f->pitch / 4;
        fb->format = fb_format(f);
        fb->red_mask = mask(f->red_pos, f->red_bits);
        fb->green_mask = mask(f->green_pos, f->green_bits);
        fb->blue_mask = mask(f->blue_pos, f->blue_bits);
        fb->reserved_mask = ~(fb->red_mask | fb->green_mask | fb->blue_mask);
}

/* The tags hold a copy of the RSDP; the contract wants its address, so
 * look for the same bytes where a BIOS keeps it. Left 0 (acpi.c then
 * searches itself) when it is not there. */
static void take_rsdp(const struct mb2_tag *t)
{
        const uint8_t *copy = (const uint8_t *)(t + 1);

        if (t->size < sizeof(*t) + 20)
                return;
        for (uint64_t p = 0xe0000; p < 0x100000; p += 16)
                if (!__builtin_memcmp((const void *)(uintptr_t)p, copy, 20)) {
                        mb2_bi.rsdp = p;
                        return;
                }
}

static void take_tag(const struct mb2_tag *t)
{
        switch (t->type) {
        case TAG_CMDLINE: take_cmdline(t); break;
        case TAG_MODULE: take_module(t); break;
        case TAG_MMAP: take_mmap(t); break;
        case TAG_FRAMEBUFFER: take_framebuffer(t); break;
        case TAG_ACPI_OLD:
        case TAG_ACPI_NEW:
                if (!mb2_bi.rsdp)
                        take_rsdp(t);
                break;
        }
}

/* Walks the tags: total size first, then tags at 8-byte steps, each
 * inside the total, until the end tag. */
static void walk_tags(uint32_t info)
{
        const uint8_t *base = (const uint8_t *)(uintptr_t)info;
        uint32_t total = *(const uint32_t *)base, off = 8;

        while (off + sizeof(struct mb2_tag) <= total) {
                const struct mb2_tag *t = (const void *)(base + off);

                if (t->type == TAG_END || t->size < sizeof(*t) || t->size > total - off)
                        break;
                take_tag(t);
                off += (t->size + 7) & ~7u;
        }
}

_Noreturn void arch_mb2_start(uint32_t info, uint32_t magic)
{
        uint64_t kbase = arch_virt_to_phys(__kernel_start);

        arch_serial_init();
        if (magic != MB2_BOOT_MAGIC)
                arch_panic("multiboot2 magic 0x%x, not 0x%x", magic, MB2_BOOT_MAGIC);
        if (!info || info & 7)
                arch_panic("multiboot2 information at 0x%x", info);
        arch_memmap_init(&mb2_in);
        mb2_bi.magic = THATTE_BOOT_MAGIC;
        mb2_bi.version = THATTE_BOOT_VERSION;
        mb2_bi.size = sizeof(mb2_bi);
        mb2_bi.source = THATTE_BOOT_MULTIBOOT2;
        walk_tags(info);
        mb2_bi.cmdline = arch_virt_to_phys(mb2_cmdline);
        mb2_bi.modules = arch_virt_to_phys(mb2_modules);
        /* As for PVH: the real-mode MiB holds BIOS data; nothing there is handed out. */
        arch_memmap_claim(&mb2_in, 0, 0x100000, THATTE_MEM_RESERVED);
        arch_memmap_claim(&mb2_in, kbase, arch_virt_to_phys(__kernel_end) - kbase, THATTE_MEM_KERNEL);
        mb2_bi.kernel_base = kbase;
        mb2_bi.kernel_end = arch_virt_to_phys(__kernel_end);
        mb2_bi.mem_count = arch_memmap_build(&mb2_in, mb2_map, MB2_MAX_MAP);
        mb2_bi.mem_map = arch_virt_to_phys(mb2_map);
        arch_main(arch_virt_to_phys(&mb2_bi));
}
