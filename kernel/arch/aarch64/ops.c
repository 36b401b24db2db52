/* kernel/arch/aarch64/ops.c: the hooks the core calls (struct
 * mk_arch_ops in kernel/core/kernel.h): a new VSpace root gets an ASID,
 * flush requests become TLB invalidations by ASID, IRQ lines are masked
 * at the GIC, DEBUG_PUT goes to the PL011, the virtual counter is the
 * clock, ISR_EL1 says an interrupt waits (preemption points) and a
 * preempted SVC runs again, code mapped for EL0 is made coherent
 * (cache.c) and new entries reach the table walker. No I/O ports and no
 * VCPUs: absent hooks the core does without. */
#include "arch.h"
#include "kernel.h"

#define ASID_MAX 255u                   /* TCR_EL1.AS = 0: 8-bit ASIDs */

static unsigned asids_given;            /* ASID 0 stays unused: the first is 1 */

_Static_assert(ARCH_ROOT_TTBR_WORD == MK_TABLE_ENTRIES - 1 &&
               ARCH_ROOT_TTBR_WORD >= MK_ROOT_USER_ENTRIES && MK_USER_BITS == 47,
               "TTBR0 is in a root descriptor no walk reaches, above its user entries");

/* One ASID per root, never reused (kept with the root's TTBR0 value); once all 255 are given, later roots
 * share ASID 0, whose translations go whenever a space with it is loaded
 * (context.c) or flushed. Reuse (a generation per ASID, as Linux does)
 * is not there yet. */
static void vspace_init(uint64_t *root)
{
        uint64_t asid = asids_given < ASID_MAX ? ++asids_given : ARCH_ASID_SHARED;

        root[ARCH_ROOT_TTBR_WORD] = arch_virt_to_phys(root) | asid << 48;
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

/* A new entry (invalid to valid: the core never rewrites a valid one, so
 * there is no break-before-make to do) reaches the table walker before
 * the eret that lets a task use it; no TLB entry can name an invalid one. */
static void entry_made(void)
{
        __asm__ volatile("dsb ishst" ::: "memory");
}

static void irq_set_masked(unsigned irq, int masked)
{
        arch_gic_set_masked(irq, masked);
}

/* The virtual counter in its own ticks, for the kernel stretch
 * (MK_DEBUG_STRETCH): read twice per system call, so no conversion and
 * no barrier (nanoseconds cost 18 instructions of the IPC round trip). */
static uint64_t clock(void)
{
        return sysreg_read(cntvct_el0);
}

/* An interrupt waits (ISR_EL1.I): a long operation stops at its next
 * preemption point. */
static bool irq_pending(void)
{
        return sysreg_read(isr_el1) & (1u << 7);
}

/* A preempted syscall runs again: back over the 4-byte SVC (only a
 * thread that entered by SVC is preempted in one; entry.S gives it x0..x7
 * from its regs, which the core left as they came in). */
static void restart(struct mk_tcb *t)
{
        if (t->ctx.entry == MK_ENTRY_SYSCALL)
                t->ctx.pc -= 4;
}

const struct mk_arch_ops arch_ops = {
        .tlb_flush = tlb_flush,
        .vspace_init = vspace_init,
        .irq_set_masked = irq_set_masked,
        .debug_write = arch_serial_write,       /* MK_SYS_DEBUG_PUT, prefixes added */
        .clock = clock,
        .irq_pending = irq_pending,
        .restart = restart,
        .code_sync = arch_code_sync,
        .entry_made = entry_made,
};
