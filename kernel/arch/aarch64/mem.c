/* kernel/arch/aarch64/mem.c: the core's objects. mk_boot gets the first
 * free piece of RAM above the image; every other free byte of RAM the
 * direct map reaches (below 4 GiB) becomes Untyped; the ramfb's buffer
 * and the PL011's page become device Untyped (never zeroed: the task maps
 * them write-combining and uncached). Never handed out: RAM below and in the image, the
 * device tree. */
#include "arch.h"
#include "kernel.h"

#define ROOT_RADIX 12u
#define DIRECT_TOP (4ull << 30)         /* head.S maps physical [0, 4 GiB) */
#define MAX_PIECES 4u

struct mk_kernel arch_k;
struct mk_bootinfo arch_bi;
uint64_t arch_device_untyped;           /* slot of the frame buffer's Untyped, 0: none */

struct piece {
        uint64_t base, end;
};

static uint64_t align_up(uint64_t x, uint64_t a)
{
        return (x + a - 1) & ~(a - 1);
}

/* Cut [hole_base, hole_end) out of the pieces. */
static void cut(struct piece *p, unsigned *n, uint64_t hole_base, uint64_t hole_end)
{
        for (unsigned i = 0; i < *n; i++) {
                struct piece q = p[i];

                if (hole_end <= q.base || hole_base >= q.end)
                        continue;
                p[i].end = hole_base > q.base ? hole_base : q.base;
                if (hole_end < q.end) {
                        if (*n == MAX_PIECES)
                                arch_panic("memory: too many holes");
                        p[(*n)++] = (struct piece){ hole_end, q.end };
                }
        }
}

static uint64_t fdt_size(uint64_t dtb)
{
        return __builtin_bswap32(*(const uint32_t *)arch_phys(dtb + 4));
}

/* arch_core_boot: the core's first objects from the device tree's memory. */
void arch_core_boot(uint64_t dtb)
{
        struct piece p[MAX_PIECES];
        uint64_t base, size, fb_size = (uint64_t)arch_fb_width * arch_fb_height * 4;
        unsigned n = 1, first = MAX_PIECES;

        if (!arch_fdt_memory(dtb, &base, &size))
                arch_panic("memory: no /memory node in the device tree");
        p[0] = (struct piece){ align_up(arch_virt_to_phys(__kernel_end), ARCH_PAGE),
                               base + size < DIRECT_TOP ? base + size : DIRECT_TOP };
        cut(p, &n, dtb & ~(ARCH_PAGE - 1), align_up(dtb + fdt_size(dtb), ARCH_PAGE));
        fb_size = align_up(fb_size, 2ull << 20);
        if (arch_fb_phys)
                cut(p, &n, arch_fb_phys, arch_fb_phys + fb_size);
        for (unsigned i = 0; i < n && first == MAX_PIECES; i++)
                if (p[i].end > p[i].base)
                        first = i;
        if (first == MAX_PIECES ||
            mk_boot(&arch_k, arch_phys(p[first].base), p[first].end - p[first].base, ROOT_RADIX,
                    &arch_bi) != 0)
                arch_panic("memory: no room for the root CNode");
        arch_k.arch = &arch_ops;
        arch_k.phys_offset = KERNEL_VBASE;
        arch_k.nx = 1;
        for (unsigned i = 0; i < n; i++)
                if (i != first && p[i].end > p[i].base &&
                    mk_boot_untyped(&arch_k, &arch_bi, (uintptr_t)arch_phys(p[i].base),
                                    p[i].end - p[i].base, false) < 0)
                        arch_panic("memory: the root CNode is full");
        arch_device_untyped = arch_bi.empty_first;
        if (arch_fb_phys &&
            mk_boot_untyped(&arch_k, &arch_bi, (uintptr_t)arch_phys(arch_fb_phys), fb_size, true) != 1)
                arch_panic("memory: the frame buffer is no single Untyped");
        /* The PL011's page, for the root task's interrupt check (the
         * kernel logs through it too: the root is trusted with it). */
        if (mk_boot_untyped(&arch_k, &arch_bi, (uintptr_t)arch_phys(ARCH_PL011), ARCH_PAGE, true) != 1)
                arch_panic("memory: no device Untyped for the PL011");
        arch_log("core: root CNode of %u slots, %lu Untyped caps", 1u << ROOT_RADIX,
                 (unsigned long)arch_bi.untyped_count);
}
