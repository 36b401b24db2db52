/* kernel/arch/aarch64/cache.c: instruction fetches see what was written
 * through the data side. On aarch64 they need not: a frame filled by the
 * kernel (retype's zeroing, the root loader's copy) or by a task through
 * another mapping can still sit dirty in the data cache, and the
 * instruction cache can hold what the frame held before. Before such a
 * frame is made executable for EL0 (the core calls code_sync when it maps
 * a frame without execute-never; kernel/arch/common/root.c after copying
 * the root task's code), its lines are cleaned to the point of
 * unification and the instruction cache invalidated, with the line sizes
 * CTR_EL0 gives, as the ARM ARM requires (TCG needs none of it). */
#include "arch.h"

#define CTR_IDC (1ull << 28)            /* no data clean needed for coherence */
#define CTR_DIC (1ull << 29)            /* no instruction invalidation needed */
#define CTR_L1IP_PIPT 3u

static uint64_t ctr;
uint64_t arch_code_synced;              /* bytes made coherent, for the boot log */

static uint64_t dline(void)
{
        return 4ull << (ctr >> 16 & 0xf);
}

static uint64_t iline(void)
{
        return 4ull << (ctr & 0xf);
}

/* Only a PIPT instruction cache drops a physical line when asked by one of
 * its virtual addresses (the kernel's); VIPT and the others may hold it
 * under the task's, so they are invalidated whole (inner shareable). */
static bool icache_pipt(void)
{
        return (ctr >> 14 & 3) == CTR_L1IP_PIPT;
}

void arch_cache_init(void)
{
        ctr = sysreg_read(ctr_el0);
        arch_log("cache: CTR_EL0 %lx: D line %lu B, I line %lu B, I-cache %s%s%s", (unsigned long)ctr,
                 (unsigned long)dline(), (unsigned long)iline(),
                 icache_pipt() ? "PIPT (ic ivau)" : "not PIPT (ic ialluis)",
                 ctr & CTR_IDC ? ", IDC" : "", ctr & CTR_DIC ? ", DIC" : "");
}

/* [kva, kva + size) (the kernel's direct map of a frame) is about to run
 * as code: clean it to the point of unification, wait (dsb ish), drop
 * stale instructions, wait again; the isb is for this CPU's own fetches
 * (an eret to the task is a context synchronization event anyway). */
void arch_code_sync(const void *kva, size_t size)
{
        uint64_t a = (uint64_t)(uintptr_t)kva, end = a + size, p;

        if (!(ctr & CTR_IDC))
                for (p = a & ~(dline() - 1); p < end; p += dline())
                        __asm__ volatile("dc cvau, %0" : : "r"(p) : "memory");
        __asm__ volatile("dsb ish" ::: "memory");
        if (!(ctr & CTR_DIC)) {
                if (icache_pipt())
                        for (p = a & ~(iline() - 1); p < end; p += iline())
                                __asm__ volatile("ic ivau, %0" : : "r"(p) : "memory");
                else
                        __asm__ volatile("ic ialluis" ::: "memory");
                __asm__ volatile("dsb ish" ::: "memory");
        }
        __asm__ volatile("isb" ::: "memory");
        arch_code_synced += size;
}
