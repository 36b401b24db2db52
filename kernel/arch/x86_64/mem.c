/* kernel/arch/x86_64/mem.c: boot memory becomes capabilities.
 * mk_boot gets one block (the root CNode, 2^ROOT_RADIX slots, and the
 * root TCB) from the first usable range above 1 MiB; every usable range
 * then becomes Untyped, except that block; the holes of the physical
 * address space below 4 GiB (the PCI window, where framebuffers and BARs
 * live), the ranges the firmware called MMIO and the framebuffer become
 * device Untyped. Never handed out: the kernel image, the boot info, the
 * module, ACPI and firmware ranges, and the page of the local and I/O
 * APIC the kernel drives itself. */
#include "arch.h"
#include "svm.h"

#define ROOT_RADIX 13u       /* 8192 slots: room for boot modules' frames (kvmm) */
#define BOOT_BLOCK (((uint64_t)1 << (ROOT_RADIX + MK_CTE_BITS)) + ((uint64_t)1 << MK_TCB_BITS))
#define LOW_END (1ull << 20)
#define DEV_END (4ull << 30)
#define APIC_HOLE_BASE 0xfec00000ull    /* I/O APIC .. local APIC: the kernel's */
#define APIC_HOLE_END 0xfee01000ull

static uint64_t block_base;

static uint64_t align_up(uint64_t v, uint64_t a)
{
        return (v + a - 1) & ~(a - 1);
}

static uint64_t find_block(const struct thatte_mem_range *map, unsigned n)
{
        uint64_t align = (uint64_t)1 << (ROOT_RADIX + MK_CTE_BITS);

        for (unsigned i = 0; i < n; i++) {
                uint64_t b = align_up(map[i].base < LOW_END ? LOW_END : map[i].base, align);

                if (map[i].type == THATTE_MEM_USABLE && b + BOOT_BLOCK <= map[i].base + map[i].size &&
                    b + BOOT_BLOCK <= arch_direct_end)
                        return b;
        }
        arch_panic("no usable memory for the root CNode and TCB");
}

static void add(struct mk_kernel *k, struct mk_bootinfo *mbi, uint64_t base, uint64_t end,
                bool device)
{
        if (end > arch_direct_end)
                end = arch_direct_end;
        if (end <= base)
                return;
        if (mk_boot_untyped(k, mbi, (uintptr_t)arch_phys(base), end - base, device) < 0)
                arch_log("mem: no slot left for %s memory %lx-%lx", device ? "device" : "usable",
                         base, end);
}

/* Usable range [base, end) minus the boot block. */
static void add_usable(struct mk_kernel *k, struct mk_bootinfo *mbi, uint64_t base, uint64_t end)
{
        uint64_t bend = block_base + align_up(BOOT_BLOCK, ARCH_PAGE);

        if (block_base >= base && block_base < end) {
                add(k, mbi, base, block_base, false);
                add(k, mbi, bend, end, false);
                return;
        }
        add(k, mbi, base, end, false);
}

/* Device range [base, end) below 4 GiB minus the APIC pages. */
static void add_device(struct mk_kernel *k, struct mk_bootinfo *mbi, uint64_t base, uint64_t end)
{
        if (end > DEV_END)
                end = DEV_END;
        if (base < APIC_HOLE_END && end > APIC_HOLE_BASE) {
                add_device(k, mbi, base, APIC_HOLE_BASE);
                add_device(k, mbi, APIC_HOLE_END, end);
                return;
        }
        add(k, mbi, base, end, true);
}

static bool covered(const struct thatte_mem_range *map, unsigned n, uint64_t p)
{
        for (unsigned i = 0; i < n; i++)
                if (p >= map[i].base && p < map[i].base + map[i].size)
                        return true;
        return false;
}

static void add_devices(struct mk_kernel *k, struct mk_bootinfo *mbi,
                        const struct thatte_bootinfo *bi, const struct thatte_mem_range *map,
                        unsigned n)
{
        uint64_t prev = LOW_END;

        for (unsigned i = 0; i < n; i++) {
                uint64_t b = map[i].base, e = b + map[i].size;

                if (e <= LOW_END)
                        continue;
                if (b > prev)                   /* a hole in the map */
                        add_device(k, mbi, prev, b);
                if (map[i].type == THATTE_MEM_MMIO)
                        add_device(k, mbi, b < LOW_END ? LOW_END : b, e);
                if (e > prev)
                        prev = e;
        }
        if (prev < DEV_END)
                add_device(k, mbi, prev, DEV_END);
        /* A framebuffer the map covers (or one above 4 GiB) gets its own. */
        if (bi->fb.format != THATTE_FB_NONE && bi->fb.base &&
            (covered(map, n, bi->fb.base) || bi->fb.base >= DEV_END))
                add(k, mbi, bi->fb.base & ~(ARCH_PAGE - 1),
                    align_up(bi->fb.base + bi->fb.size, ARCH_PAGE), true);
}

uint64_t arch_mem_boot(struct mk_kernel *k, const struct thatte_bootinfo *bi,
                       struct mk_bootinfo *mbi)
{
        const struct thatte_mem_range *map = arch_phys(bi->mem_map);
        unsigned n = bi->mem_count;
        uint64_t device_from;

        block_base = find_block(map, n);
        if (mk_boot(k, arch_phys(block_base), BOOT_BLOCK, ROOT_RADIX, mbi) < 0)
                arch_panic("mk_boot failed on %lx", block_base);
        k->arch = &arch_ops;
        k->phys_offset = ARCH_DIRECT_BASE;
        k->nx = arch_feat.nx;
        k->vm = arch_svm.on;            /* VCPUs: SVM with nested paging (svm.c) */
        for (unsigned i = 0; i < n; i++)
                if (map[i].type == THATTE_MEM_USABLE)
                        add_usable(k, mbi, map[i].base, map[i].base + map[i].size);
        device_from = mbi->empty_first;
        add_devices(k, mbi, bi, map, n);
        arch_log("mem: root CNode and TCB at %lx; %lu Untyped caps (%lu device)", block_base,
                 mbi->untyped_count, mbi->empty_first - device_from);
        return device_from;
}
