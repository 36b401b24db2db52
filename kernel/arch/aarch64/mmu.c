/* kernel/arch/aarch64/mmu.c: the user half (TTBR0). The root task's
 * address space is built by kernel/arch/common/root.c through the core
 * (vspace.c), so its descriptors are the core's (core.h); the kernel half
 * was built by head.S (TTBR1: all of the first 4 GiB at KERNEL_VBASE + P)
 * and stays. Installing the first space switches TTBR0 to 47-bit
 * addresses (T0SZ 17: four levels) and drops head.S's identity mapping. */
#include "arch.h"
#include "kernel.h"

uint64_t arch_mmu_user_install(const uint64_t *root)
{
        uint64_t tcr;

        /* The table walker must see the entries before TTBR0 names them;
         * then every translation head.S's identity map left goes, with
         * the 39-bit size it had. (The root task's code was copied
         * through the data cache: TCG needs nothing more, real hardware
         * would want it cleaned to the point of unification first.) */
        tcr = (sysreg_read(tcr_el1) & ~0x3full) | (64 - MK_USER_BITS);
        __asm__ volatile("dsb ish" ::: "memory");
        sysreg_write(tcr_el1, tcr);
        sysreg_write(ttbr0_el1, arch_root_ttbr(root));
        __asm__ volatile("isb; tlbi vmalle1; dsb ish; ic iallu; dsb ish; isb" ::: "memory");
        arch_context_start(root);
        return arch_root_asid(root);
}
