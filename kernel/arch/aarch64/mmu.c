/* kernel/arch/aarch64/mmu.c: the kernel half's RAM and the user half
 * (TTBR0). head.S mapped the devices' GiB and the image's into the one
 * level-1 table that TTBR1 walks (39-bit VAs: physical P at KERNEL_VBASE
 * + P, so at most ARCH_DIRECT_TOP); the device tree's GiBs (fdt.c, when
 * it opens the tree) and the rest of RAM (mem.c) join it here as 1 GiB
 * blocks. The root task's address space is
 * built by kernel/arch/common/root.c through the core (vspace.c), so its
 * descriptors are the core's (core.h); installing it switches TTBR0 to
 * 47-bit addresses (T0SZ 17: four levels) and drops head.S's identity
 * mapping. */
#include "arch.h"
#include "kernel.h"

#define TCR_T0SZ_MASK 0x3full
#define TCR_EPD0 (1ull << 7)            /* no walks through TTBR0 */
#define GIB (1ull << 30)

extern uint64_t a64_boot_l1[512];

/* RAM [base, top) in the direct map, in whole GiBs (a GiB that RAM only
 * partly fills is mapped whole: QEMU virt has nothing else in its RAM's
 * GiBs). Entries go from invalid to valid, or are rewritten with the same
 * value: no TLB entry to break; they reach the walker before the kernel
 * reads through them (dsb ishst; isb). Returns the end of what is mapped:
 * top, or ARCH_DIRECT_TOP when RAM goes beyond. */
uint64_t arch_mmu_map_ram(uint64_t base, uint64_t top)
{
        if (top > ARCH_DIRECT_TOP)
                top = ARCH_DIRECT_TOP;
        for (uint64_t g = base / GIB; g < (top + GIB - 1) / GIB; g++)
                if (g)
                        a64_boot_l1[g] = g * GIB | BLOCK_NORMAL;
        __asm__ volatile("dsb ishst; isb" ::: "memory");
        return top;
}

/* TTBR0 named head.S's identity map (T0SZ 25, global blocks). Were T0SZ
 * and TTBR0 written together, a walk between the writes and the isb could
 * combine the old size with the new table (or the reverse) and cache
 * entries neither means: walks through TTBR0 stop first (EPD0), the TLB
 * is emptied, then the root's table comes (its entries reached the walker
 * when they were made: ops.c's entry_made; its code was made coherent:
 * cache.c), then the size, walks allowed again. */
uint64_t arch_mmu_user_install(const uint64_t *root)
{
        uint64_t tcr = sysreg_read(tcr_el1);

        sysreg_write(tcr_el1, tcr | TCR_EPD0);
        __asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
        sysreg_write(ttbr0_el1, arch_root_ttbr(root));
        __asm__ volatile("isb" ::: "memory");
        sysreg_write(tcr_el1, (tcr & ~(TCR_T0SZ_MASK | TCR_EPD0)) | (64 - MK_USER_BITS));
        __asm__ volatile("isb" ::: "memory");
        arch_log("mmu: user half of %u-bit addresses; %lu KiB of code made coherent for EL0",
                 MK_USER_BITS, (unsigned long)(arch_code_synced >> 10));
        arch_context_start(root);
        return arch_root_asid(root);
}
