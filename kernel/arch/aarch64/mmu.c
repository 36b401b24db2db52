/* kernel/arch/aarch64/mmu.c: the kernel half's RAM and the user half
 * (TTBR0). head.S mapped the devices' GiB and the image (2 MiB blocks)
 * into the level-1 table under the first entry of the level-0 table TTBR1
 * walks (48-bit VAs: physical P at KERNEL_VBASE + P); the device tree
 * (fdt.c, when it opens the tree) and the rest of RAM (mem.c) join it
 * here as 1 GiB blocks, or 2 MiB ones where RAM fills a GiB only in part,
 * in level-1 tables of their own for each further 512 GiB. The root
 * task's address space is built by
 * kernel/arch/common/root.c through the core (vspace.c), so its
 * descriptors are the core's (core.h); installing it switches TTBR0 to
 * 47-bit addresses (T0SZ 17: four levels) and drops head.S's identity
 * mapping. */
#include "arch.h"
#include "direct-map.h"
#include "kernel.h"

#define TCR_T0SZ_MASK 0x3full
#define TCR_EPD0 (1ull << 7)            /* no walks through TTBR0 */
#define L1_MORE 3u                      /* level-1 tables beyond head.S's */
#define L2_MORE 6u                      /* level-2 tables beyond head.S's */

extern uint64_t a64_boot_l0[512];
static uint64_t l1_more[L1_MORE][512] __attribute__((aligned(4096)));
static uint64_t l2_more[L2_MORE][512] __attribute__((aligned(4096)));

/* The CPU's physical address reach (ID_AA64MMFR0_EL1.PARange), at most
 * 48 bits as head.S put in TCR_EL1.IPS. */
static uint64_t pa_top(void)
{
        static const uint8_t bits[6] = { 32, 36, 40, 42, 44, 48 };
        uint64_t r = sysreg_read(id_aa64mmfr0_el1) & 0xf;

        return 1ull << bits[r < 6 ? r : 5];
}

static void publish(void)
{
        __asm__ volatile("dsb ishst" ::: "memory");
}

/* RAM [base, top) in the direct map (direct-map.c: 1 GiB blocks, 2 MiB
 * ones where RAM fills a GiB only in part, so no Normal mapping covers
 * what may be devices beside RAM). Entries only go from invalid to valid
 * or keep their value: no TLB entry to break; they reach the walker before
 * the kernel reads through them (dsb ishst; isb). Returns the end of what
 * is mapped: top, or less where the CPU's physical addresses or the spare
 * tables (RAM in at most 4 windows of 512 GiB, 6 partly filled GiBs) end. */
uint64_t arch_mmu_map_ram(uint64_t base, uint64_t top)
{
        static struct dmap d;
        uint64_t end;

        if (!d.l0)
                d = (struct dmap){ .l0 = a64_boot_l0, .l1_spare = l1_more, .l2_spare = l2_more,
                                   .l1_spares = L1_MORE, .l2_spares = L2_MORE,
                                   .offset = KERNEL_VBASE, .pa_top = pa_top(), .publish = publish };
        end = dmap_add(&d, base, top);
        __asm__ volatile("dsb ishst; isb" ::: "memory");
        return end;
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
