/* kernel/arch/x86_64/trap.c: what entry.S calls. A syscall, a user
 * exception or an interrupt each end in the register file of the thread
 * to resume (the core decides), and arch_next prepares that thread's
 * return: its address space, the %gs:CPU_CUR pointer entry.S saves into,
 * and the return path (SYSRET only for a thread that entered by SYSCALL
 * and whose rip is a user address). */
#include "arch.h"
#include "cpu.h"

_Static_assert(offsetof(struct mk_tcb, regs) == 0, "regs first");
_Static_assert(offsetof(struct mk_tcb, regs.nr) == TCB_NR, "TCB_NR");
_Static_assert(offsetof(struct mk_tcb, regs.reply) == TCB_REPLY, "TCB_REPLY");
_Static_assert(offsetof(struct mk_tcb, regs.mr[3]) == TCB_MR3, "TCB_MR3");
_Static_assert(offsetof(struct mk_tcb, ctx) == CTX, "CTX");
_Static_assert(offsetof(struct mk_tcb, ctx.rbx) == CTX_RBX, "CTX_RBX");
_Static_assert(offsetof(struct mk_tcb, ctx.rip) == CTX_RIP, "CTX_RIP");
_Static_assert(offsetof(struct mk_tcb, ctx.rflags) == CTX_RFLAGS, "CTX_RFLAGS");
_Static_assert(offsetof(struct mk_tcb, ctx.entry) == CTX_ENTRY, "CTX_ENTRY");
_Static_assert(offsetof(struct mk_tcb, ctx.fs_base) == CTX_FS, "CTX_FS");
_Static_assert(offsetof(struct arch_cpu, kstack) == CPU_KSTACK, "CPU_KSTACK");
_Static_assert(MK_ENTRY_SYSCALL == 1, "entry.S compares with 1");
_Static_assert(MK_ENTRY_GUEST == 2, "entry.S compares with 2");
_Static_assert(offsetof(struct mk_tcb, slots[MK_TCB_VTABLE].cap.type) == TCB_VS_TYPE, "VS");
_Static_assert(offsetof(struct mk_tcb, slots[MK_TCB_VTABLE].cap.obj) == TCB_VS_OBJ, "VS");
_Static_assert(MK_OBJ_PML4 == OBJ_PML4, "OBJ_PML4");
_Static_assert(MK_USER_TOP == USER_TOP, "USER_TOP");
_Static_assert(ARCH_DIRECT_BASE == DIRECT_BASE, "DIRECT_BASE");

#define RFLAGS_USER 0xcd5ull            /* CF PF AF ZF SF DF OF: what user code may set */

struct mk_kernel arch_k;

struct mk_tcb *arch_next(struct mk_regs *r)
{
        struct mk_tcb *t;

        for (;;) {
                if (!r) {
                        arch_cpu0.cur = NULL;
                        return NULL;
                }
                t = mk_tcb_of(r);
                if (t->ctx.rip < MK_USER_TOP)
                        break;
                /* Neither SYSRET nor IRETQ may go there: the thread faults. */
                arch_log("thread %p fault #GP ip %lx: not a user address", (void *)t,
                         t->ctx.rip);
                r = mk_fault(&arch_k, 13, 0, 0);
        }
        arch_load_vspace(t);
        arch_cpu0.cur = t;
        if (t->ctx.entry != MK_ENTRY_SYSCALL)
                t->ctx.rflags = (t->ctx.rflags & RFLAGS_USER) | MK_USER_RFLAGS;
        return t;
}

static struct mk_regs *interrupt(uint64_t vector)
{
        if (vector == VEC_TIMER) {
                arch_lapic_eoi();
                return mk_timer_tick(&arch_k);
        }
        if (vector >= VEC_IRQ_BASE && vector < VEC_IRQ_BASE + MK_IRQ_COUNT) {
                arch_irq_set_masked((unsigned)(vector - VEC_IRQ_BASE), 1);
                arch_lapic_eoi();
                return mk_irq(&arch_k, (unsigned)(vector - VEC_IRQ_BASE));
        }
        /* The spurious vector and the masked 8259s' strays: nothing to do
         * (a spurious interrupt takes no EOI). */
        return mk_cur_regs(&arch_k);
}

static const char *const fault_names[32] = {
        [0] = "#DE", [1] = "#DB", [3] = "#BP", [4] = "#OF", [5] = "#BR", [6] = "#UD",
        [7] = "#NM", [10] = "#TS", [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF",
        [16] = "#MF", [17] = "#AC", [19] = "#XM", [21] = "#CP",
};

struct mk_tcb *arch_user_trap(uint64_t vector, uint64_t error)
{
        struct mk_tcb *t = arch_k.cur;
        uint64_t addr;

        if (read_rflags() & (RFLAGS_DF | RFLAGS_AC))
                arch_panic("trap entry kept the thread's DF or AC flag");
        if (vector >= 32)
                return arch_next(interrupt(vector));
        addr = vector == VEC_PF ? read_cr2() : 0;
        arch_log("thread %p fault %s ip %lx addr %lx error %lx", (void *)t,
                 fault_names[vector] ? fault_names[vector] : "#?", t->ctx.rip, addr, error);
        return arch_next(mk_fault(&arch_k, (unsigned)vector, error, addr));
}

/* arch_idle_begin: entry.S's idle loop starts (the idle clock,
 * MK_DEBUG_STRETCH's mr2). */
static uint64_t idle_since;

void arch_idle_begin(void)
{
        idle_since = rdtsc();
}

/* A trap in kernel mode: an exception is a kernel bug (panic); an
 * interrupt can only come while the CPU idles (the kernel runs with
 * interrupts off otherwise). Returns 1 for "return to the trapped code". */
struct mk_tcb *arch_kernel_trap(struct arch_frame *f)
{
        if (f->vector == 2) {
                arch_log("NMI at %lx, ignored", f->rip);
                return (struct mk_tcb *)1;
        }
        if (f->vector < 32)
                arch_panic_trap(f);
        if (idle_since) {               /* the interrupt that ends an idle stretch */
                arch_k.idle_clock += rdtsc() - idle_since;
                idle_since = 0;
        }
        return arch_next(interrupt(f->vector));
}
