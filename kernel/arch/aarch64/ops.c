/* kernel/arch/aarch64/ops.c: the hooks the core calls (struct
 * mk_arch_ops in kernel/core/kernel.h) that this layer has so far: a new
 * VSpace root gets an ASID, flush requests become TLB invalidations by
 * ASID, DEBUG_PUT goes to the PL011. Every other hook is absent, which the
 * core does without (no preemption points, no clock for the stretch). */
#include "arch.h"
#include "kernel.h"

#define ASID_MAX 255u                   /* TCR_EL1.AS = 0: 8-bit ASIDs */

static unsigned asids_given;            /* ASID 0 stays unused: the first is 1 */

_Static_assert(ARCH_ROOT_ASID_WORD == 2 * MK_TABLE_ENTRIES - 1 &&
               MK_ROOT_USER_ENTRIES < MK_TABLE_ENTRIES, "the ASID is in the root's shadow, above its user entries");

/* One ASID per root, never reused; once all 255 are given, later roots
 * share ASID 0, whose translations go whenever a space with it is loaded
 * (context.c) or flushed. Reuse (a generation per ASID, as Linux does)
 * is not there yet. */
static void vspace_init(uint64_t *root)
{
        root[ARCH_ROOT_ASID_WORD] = asids_given < ASID_MAX ? ++asids_given : ARCH_ASID_SHARED;
}

/* [vaddr, vaddr + 2^bits) of root's space went: the core wrote the entry
 * first (the store must reach the walker before the invalidation: dsb
 * ishst), then one page by VA and ASID (every level's cached walk of it
 * too), or the whole ASID for anything larger; dsb waits for it to end,
 * isb for this CPU to fetch with it. */
static void tlb_flush(const uint64_t *root, uint64_t vaddr, unsigned bits)
{
        uint64_t asid = arch_root_asid(root) << 48;

        __asm__ volatile("dsb ishst" ::: "memory");
        if (bits == 12)
                __asm__ volatile("tlbi vae1is, %0" : : "r"(asid | (vaddr >> 12 & ((1ull << 44) - 1)))
                                 : "memory");
        else
                __asm__ volatile("tlbi aside1is, %0" : : "r"(asid) : "memory");
        __asm__ volatile("dsb ish; isb" ::: "memory");
}

const struct mk_arch_ops arch_ops = {
        .tlb_flush = tlb_flush,
        .vspace_init = vspace_init,
        .debug_write = arch_serial_write,       /* MK_SYS_DEBUG_PUT, prefixes added */
};
