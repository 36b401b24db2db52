/* kernel/arch/aarch64/context.c: a thread's user state between the
 * vectors' frame (on the kernel stack) and its TCB (struct mk_user_ctx,
 * core.h): saved when an entry goes to the core, restored from the TCB of
 * the thread the core hands back, with that thread's address space
 * (TTBR0 with its root's ASID: no TLB flush) and TLS register. */
#include "arch.h"
#include "kernel.h"

#define SPSR_KERNEL_BITS 0x3dfull      /* M[4:0] and DAIF: a thread runs at EL0t, unmasked */

static const uint64_t *loaded_root;

struct mk_tcb *arch_save_user(const struct arch_frame *f)
{
        struct mk_tcb *t = arch_k.cur;

        if (!t)
                arch_panic("an EL0 entry without a current thread");
#pragma GCC unroll 31   /* pairs of loads and stores, not a loop: every entry pays it */
        for (unsigned i = 0; i < 31; i++)
                t->ctx.x[i] = f->x[i];
        t->ctx.sp = f->sp_el0;
        t->ctx.pc = f->elr;
        t->ctx.spsr = f->spsr;
        t->ctx.tpidr = sysreg_read(tpidr_el0);
        return t;
}

static void load_space(const struct mk_tcb *t)
{
        const struct mk_cap *vs = &t->slots[MK_TCB_VTABLE].cap;
        const uint64_t *root = (const uint64_t *)vs->obj;

        if (vs->type != MK_OBJ_PML4)
                arch_panic("a thread without a VSpace: not supported yet");
        if (root == loaded_root)
                return;
        sysreg_write(ttbr0_el1, arch_virt_to_phys(root) | arch_root_asid(root) << 48);
        __asm__ volatile("isb" ::: "memory");
        loaded_root = root;
}

void arch_resume_user(struct arch_frame *f, struct mk_regs *r)
{
        struct mk_tcb *t;

        if (!r)
                arch_panic("no runnable thread: idling is not there yet");
        t = mk_tcb_of(r);
#pragma GCC unroll 31
        for (unsigned i = 0; i < 31; i++)
                f->x[i] = t->ctx.x[i];
        if (t->ctx.entry == MK_ENTRY_SYSCALL) {
                f->x[0] = r->nr;
                f->x[1] = r->cptr;
                f->x[2] = r->info;
                f->x[3] = r->reply;
                for (unsigned i = 0; i < MK_MSG_REG_MRS; i++)
                        f->x[4 + i] = r->mr[i];
        }
        f->sp_el0 = t->ctx.sp;
        f->elr = t->ctx.pc;
        f->spsr = t->ctx.spsr & ~SPSR_KERNEL_BITS;
        sysreg_write(tpidr_el0, t->ctx.tpidr);
        load_space(t);
}

/* The first thread's address space is loaded by mmu.c. */
void arch_context_loaded(const uint64_t *root)
{
        loaded_root = root;
}
