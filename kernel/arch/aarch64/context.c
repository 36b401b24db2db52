/* kernel/arch/aarch64/context.c: a thread's user state lives in its TCB
 * (struct mk_user_ctx, core.h): the vectors store an EL0 entry straight
 * into the current thread's (TPIDR_EL1 holds its address), and return
 * through the one arch_resume_user picks: the thread the core hands back,
 * with its results after a syscall, its address space (TTBR0 with its
 * root's ASID: no TLB flush) and its TLS register; with none, the CPU
 * idles (trap.c) until an interrupt gives one. */
#include "arch.h"
#include "kernel.h"

/* The vectors' frame layout is the context's (entry.S writes both). */
_Static_assert(offsetof(struct mk_user_ctx, x) == offsetof(struct arch_frame, x), "x0..x30");
_Static_assert(offsetof(struct mk_user_ctx, pc) == offsetof(struct arch_frame, elr), "ELR");
_Static_assert(offsetof(struct mk_user_ctx, spsr) == offsetof(struct arch_frame, spsr), "SPSR");
_Static_assert(offsetof(struct mk_user_ctx, sp) == offsetof(struct arch_frame, sp_el0), "SP_EL0");
_Static_assert(offsetof(struct mk_user_ctx, sp) == 264, "entry.S stores SP_EL0 at 264");
_Static_assert(offsetof(struct mk_tcb, ctx) - offsetof(struct mk_tcb, regs) == -(TCB_REGS) &&
               sizeof(struct mk_regs) == 64, "entry.S stores x0..x7 as regs");
_Static_assert(offsetof(struct mk_user_ctx, entry) == CTX_ENTRY && ENTRY_TRAP == MK_ENTRY_TRAP &&
               ENTRY_SYSCALL == MK_ENTRY_SYSCALL, "entry.S reads the entry kind");

static uint64_t loaded_ttbr;
/* What a thread whose VSpace cap is gone runs in: no valid entry, so its
 * next access faults (translation fault, level 0) to its fault endpoint;
 * under the shared ASID, whose translations go when it is loaded. */
static const uint64_t no_space[MK_TABLE_ENTRIES] __attribute__((aligned(4096)));

static struct arch_frame *frame_of(struct mk_tcb *t)
{
        return (struct arch_frame *)&t->ctx;
}

/* The current thread, whose context the vectors just filled (f: TPIDR_EL1
 * names it whenever EL0 runs, so there is one). */
struct mk_tcb *arch_save_user(const struct arch_frame *f)
{
        struct mk_tcb *t = (struct mk_tcb *)((const char *)f - offsetof(struct mk_tcb, ctx));

        t->ctx.tpidr = sysreg_read(tpidr_el0);
        return t;
}

/* TTBR0 names the table and the ASID: both decide (a root made again at
 * the same address has another ASID), and the root keeps the value
 * whole. No isb: the eret that follows is a context synchronization
 * event, and the kernel reaches user memory only through its own map. A
 * shared ASID's translations may be another space's: they go first. */
static void load_space(const struct mk_tcb *t)
{
        const struct mk_cap *vs = &t->slots[MK_TCB_VTABLE].cap;
        uint64_t ttbr = vs->type == MK_OBJ_PML4 ? arch_root_ttbr((const uint64_t *)vs->obj)
                                                : arch_virt_to_phys(no_space) | ARCH_ASID_SHARED;

        if (ttbr == loaded_ttbr)
                return;
        sysreg_write(ttbr0_el1, ttbr);
        if (ttbr >> 48 == ARCH_ASID_SHARED)
                __asm__ volatile("isb; tlbi aside1, %0; dsb nsh; isb" : : "r"(ttbr & ~0ull << 48)
                                 : "memory");
        loaded_ttbr = ttbr;
}

/* The frame to return through for the thread whose regs the core
 * returned: its context (entry.S takes x0..x7 from regs instead when it
 * entered by a syscall: its results). Its SPSR needs no check: it is what
 * the CPU saved on an EL0 entry (EL0t; EL0 cannot mask interrupts, as
 * SCTLR_EL1.UMA is 0) or mk_ctx_start's 0. */
struct arch_frame *arch_resume_user(struct mk_regs *r)
{
        struct mk_tcb *t;

        if (!r)
                return arch_idle();
        t = mk_tcb_of(r);
        sysreg_write(tpidr_el0, t->ctx.tpidr);
        sysreg_write(tpidr_el1, (uintptr_t)frame_of(t));
        load_space(t);
        return frame_of(t);
}

/* Before the first eret: the root thread runs in root's space (mmu.c
 * loaded it), and its entries go to its TCB. */
void arch_context_start(const uint64_t *root)
{
        loaded_ttbr = arch_root_ttbr(root);
        sysreg_write(tpidr_el1, (uintptr_t)frame_of(arch_k.cur));
        arch_timer_start();
}
