/* tests/boot/test-kernel.c: a stand-in for thatte-mk that checks what
 * thatte-boot.efi handed over, before the real kernel boots.
 *
 * Entered as the handoff contract says (bootinfo.h): long mode, the
 * loader's page tables, rdi = the boot information, a fresh stack. Checks
 * the block (magic, version, the memory map sorted and merged, its own
 * image and the block inside ranges of the right type, the module, the
 * framebuffer fields, the RSDP signature, the TSC readings), prints one
 * verdict line on COM1, paints the default picture through the
 * framebuffer (paint.c) and halts. tests/boot/uefi-boot.sh boots it. */
#include <stddef.h>
#include <stdint.h>

#include <thatte/bootinfo.h>

#include "paint.h"

#define COM1 0x3f8

void test_kernel_main(const struct thatte_bootinfo *bi);

__asm__(".section .text.entry, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "        and $-16, %rsp\n"
        "        call test_kernel_main\n"
        "1:      cli\n"
        "        hlt\n"
        "        jmp 1b\n"
        ".previous\n");

/* Something in .data, so the image has a data segment with file bytes. */
static volatile uint32_t test_kernel_runs = 1;

static void outb(uint16_t port, uint8_t v)
{
        __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
        uint8_t v;

        __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
        return v;
}

static void put_char(char c)
{
        for (unsigned spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
                ;
        outb(COM1, (uint8_t)c);
}

static void put_str(const char *s)
{
        while (*s)
                put_char(*s++);
}

static void put_num(uint64_t v, unsigned base)
{
        char d[20];
        int n = 0;

        if (base == 16)
                put_str("0x");
        do {
                d[n++] = "0123456789abcdef"[v % base];
                v /= base;
        } while (v);
        while (n)
                put_char(d[--n]);
}

/* The range of the map holding [base, base + size), or NULL. */
static const struct thatte_mem_range *range_of(const struct thatte_bootinfo *bi, uint64_t base,
                                               uint64_t size)
{
        const struct thatte_mem_range *m = (const void *)(uintptr_t)bi->mem_map;

        for (uint32_t i = 0; i < bi->mem_count; i++)
                if (m[i].base <= base && base + size <= m[i].base + m[i].size)
                        return &m[i];
        return NULL;
}

static int in_range(const struct thatte_bootinfo *bi, uint64_t base, uint64_t size, uint32_t type)
{
        const struct thatte_mem_range *r = range_of(bi, base, size);

        return r && r->type == type;
}

static const char *check_map(const struct thatte_bootinfo *bi)
{
        const struct thatte_mem_range *m = (const void *)(uintptr_t)bi->mem_map;

        if (!bi->mem_count || !bi->mem_map)
                return "empty memory map";
        for (uint32_t i = 0; i < bi->mem_count; i++) {
                if ((m[i].base | m[i].size) & 0xfff || !m[i].size)
                        return "map entry not whole pages";
                if (m[i].type < THATTE_MEM_USABLE || m[i].type > THATTE_MEM_BAD)
                        return "map entry of unknown type";
                if (i && m[i - 1].base + m[i - 1].size > m[i].base)
                        return "map not sorted or overlapping";
                if (i && m[i - 1].base + m[i - 1].size == m[i].base && m[i - 1].type == m[i].type)
                        return "map neighbours not merged";
        }
        return NULL;
}

static const char *check_payload(const struct thatte_bootinfo *bi)
{
        const struct thatte_module *mod = (const void *)(uintptr_t)bi->modules;
        uint64_t self = (uint64_t)(uintptr_t)&test_kernel_main - THATTE_KERNEL_VBASE;
        const char *cmdline = (const char *)(uintptr_t)bi->cmdline;

        if (!in_range(bi, bi->kernel_base, bi->kernel_end - bi->kernel_base, THATTE_MEM_KERNEL) ||
            self < bi->kernel_base || self >= bi->kernel_end)
                return "kernel range not typed KERNEL or not holding this code";
        if (!in_range(bi, (uint64_t)(uintptr_t)bi, sizeof(*bi), THATTE_MEM_BOOTINFO) ||
            !in_range(bi, bi->mem_map, bi->mem_count * sizeof(struct thatte_mem_range), THATTE_MEM_BOOTINFO))
                return "boot information not typed BOOTINFO";
        if (bi->module_count != 1 || mod[0].name[0] != 'r' || mod[0].name[4] != '\0' ||
            !in_range(bi, mod[0].base, mod[0].size, THATTE_MEM_MODULE) ||
            *(const uint32_t *)(uintptr_t)mod[0].base != 0x464c457fu)
                return "root module missing, misnamed, untyped or not ELF";
        if (!cmdline || cmdline[bi->cmdline_len] != '\0')
                return "command line not NUL-terminated";
        if (bi->rsdp && *(const uint64_t *)(uintptr_t)bi->rsdp != 0x2052545020445352ull)
                return "RSDP without its signature";
        if (!bi->tsc.loader_entry || bi->tsc.loader_entry > bi->tsc.exit_boot_services ||
            bi->tsc.exit_boot_services > bi->tsc.kernel_jump)
                return "TSC readings missing or out of order";
        return NULL;
}

static const char *check_fb(const struct thatte_framebuffer *fb)
{
        if (fb->format == THATTE_FB_NONE)
                return fb->base ? "framebuffer base without a format" : NULL;
        if (fb->format > THATTE_FB_BITMASK || !fb->base || !fb->width || !fb->height)
                return "framebuffer fields missing";
        if (fb->stride < fb->width || (uint64_t)fb->stride * fb->height * 4 > fb->size)
                return "framebuffer stride or size wrong";
        if (fb->format == THATTE_FB_BGRX8888 && fb->blue_mask != 0xff)
                return "framebuffer masks do not match BGRX";
        return NULL;
}

static const char *check(const struct thatte_bootinfo *bi)
{
        const char *why;

        if (bi->magic != THATTE_BOOT_MAGIC || bi->version != THATTE_BOOT_VERSION ||
            bi->size < sizeof(*bi) || bi->source != THATTE_BOOT_UEFI)
                return "bad magic, version, size or source";
        why = check_map(bi);
        if (!why)
                why = check_payload(bi);
        if (!why)
                why = check_fb(&bi->fb);
        return why;
}

static void paint(const struct thatte_framebuffer *fb)
{
        struct efi_paint_format fmt = { .kind = EFI_PAINT_BITMASK,
                                        .red_mask = fb->red_mask, .green_mask = fb->green_mask,
                                        .blue_mask = fb->blue_mask, .reserved_mask = fb->reserved_mask };
        volatile uint32_t *px = (volatile uint32_t *)(uintptr_t)fb->base;

        for (uint32_t y = 0; y < fb->height; y++) {
                uint8_t g = efi_paint_channel(y, fb->height);

                for (uint32_t x = 0; x < fb->width; x++)
                        px[(uint64_t)y * fb->stride + x] =
                                efi_paint_pack(&fmt, efi_paint_channel(x, fb->width), g, EFI_PAINT_BLUE);
        }
}

static void summary(const struct thatte_bootinfo *bi)
{
        const struct thatte_mem_range *m = (const void *)(uintptr_t)bi->mem_map;
        uint64_t usable = 0;

        for (uint32_t i = 0; i < bi->mem_count; i++)
                if (m[i].type == THATTE_MEM_USABLE)
                        usable += m[i].size;
        put_str("thatte-mk: test kernel: bootinfo ok: ");
        put_num(bi->mem_count, 10);
        put_str(" ranges, ");
        put_num(usable >> 20, 10);
        put_str(" MiB usable, fb ");
        put_num(bi->fb.width, 10);
        put_char('x');
        put_num(bi->fb.height, 10);
        put_str(" stride ");
        put_num(bi->fb.stride, 10);
        put_str(" format ");
        put_num(bi->fb.format, 10);
        put_str(", rsdp ");
        put_num(bi->rsdp, 16);
        put_str(", cmdline '");
        put_str((const char *)(uintptr_t)bi->cmdline);
        put_str("', loader ");
        put_num(bi->tsc.kernel_jump - bi->tsc.loader_entry, 10);
        put_str(" TSC ticks\r\n");
}

void test_kernel_main(const struct thatte_bootinfo *bi)
{
        const char *why;

        put_str("\r\nthatte-mk: test kernel entered\r\n");
        why = check(bi);
        if (why) {
                put_str("thatte-mk: test kernel: bootinfo BAD: ");
                put_str(why);
                put_str("\r\n");
                return;
        }
        summary(bi);
        if (bi->fb.format == THATTE_FB_NONE || bi->fb.base + bi->fb.size > (4ull << 30)) {
                put_str("thatte-mk: test kernel: no framebuffer to paint\r\n");
                return;
        }
        paint(&bi->fb);
        put_str("thatte-mk: test kernel: painted ");
        put_num(bi->fb.width, 10);
        put_char('x');
        put_num(bi->fb.height, 10);
        put_str("\r\n");
        (void)test_kernel_runs;
}
