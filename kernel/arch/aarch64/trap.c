/* kernel/arch/aarch64/trap.c: what the vectors hand over. From EL0 (the
 * frame is the current thread's context in its TCB, entry.S): SVC #0, the
 * core's system calls; every other synchronous exception (aborts,
 * undefined instructions, other SVC numbers) goes to the core as a fault
 * (mk_fault: ESR_EL1's class, ESR_EL1, FAR_EL1 for aborts). IRQs: the
 * timer tick (which a tick at EL0 also gives the core) and the devices'
 * shared interrupts (masked, EOI, mk_irq). Anything else from EL1 is a
 * kernel bug: panic. arch_trap returns the frame to return through: the
 * same, or the context of the thread the core hands back (context.c);
 * with none runnable the CPU idles here (arch_idle). */
#include "arch.h"
#include "kernel.h"

#define EC_SVC64 0x15
#define EC_IABT_LOWER 0x20
#define EC_DABT_LOWER 0x24
#define GIC_SPURIOUS 1023
/* Idle this many ticks with nothing to run and the machine powers off
 * (the boot tests' end; thatte.stay keeps it idling, for screenshots). */
#define IDLE_TICKS_OFF 10u

uint64_t arch_ticks, arch_ticks_el0;

/* One acknowledged interrupt; user: it hit EL0, core: the core may act
 * on it (EL0 or idle; not the moment before the first eret). The timer
 * is the core's (deadlines, the timeslice), which arms it again; the
 * kernel's own rearm keeps it ticking otherwise. Returns the regs to
 * resume, or the current thread's (NULL when none) for an interrupt that
 * changes nothing. */
static struct mk_regs *interrupt(unsigned iar, bool user, bool core)
{
        unsigned intid = iar & 0x3ff;

        if (intid == ARCH_TIMER_INTID) {
                arch_ticks++;
                arch_ticks_el0 += user;
                if (!core)
                        arch_timer_rearm();
                arch_gic_eoi(iar);
                return core ? mk_timer_tick(&arch_k) : mk_cur_regs(&arch_k);
        }
        if (intid >= 32 && intid < MK_IRQ_COUNT) {
                arch_gic_set_masked(intid, true);
                arch_gic_eoi(iar);
                return mk_irq(&arch_k, intid);
        }
        arch_log("unexpected interrupt %u", intid);
        arch_gic_eoi(iar);
        return mk_cur_regs(&arch_k);
}

static struct arch_frame *irq(struct arch_frame *f, bool from_el0)
{
        unsigned iar = arch_gic_ack();

        if ((iar & 0x3ff) == GIC_SPURIOUS)
                return f;
        if (!from_el0) {
                /* The kernel runs with interrupts masked but for the
                 * moment before the first eret: only the tick is there. */
                if ((iar & 0x3ff) != ARCH_TIMER_INTID)
                        arch_panic("interrupt %u in the kernel", iar & 0x3ff);
                (void)interrupt(iar, false, false);
                return f;
        }
        arch_save_user(f)->ctx.entry = MK_ENTRY_TRAP;
        return arch_resume_user(interrupt(iar, true, true));
}

/* No thread to run: wait for an interrupt with interrupts masked (WFI
 * wakes for a pending one all the same) until one makes a thread
 * runnable. With a deadline queued the timer is the core's (it sleeps
 * until then); with none, nothing could wake a thread but a device, so
 * the kernel ticks itself to count the quiet ticks that end the boot
 * tests. */
struct arch_frame *arch_idle(void)
{
        unsigned quiet = 0;

        for (;;) {
                uint64_t t0 = sysreg_read(cntvct_el0);  /* the idle clock (MK_DEBUG_STRETCH) */
                unsigned iar;
                struct mk_regs *r;

                if (!arch_k.dl_head && arch_k.timer_armed != 0)
                        arch_timer_rearm();
                __asm__ volatile("dsb sy; wfi" ::: "memory");
                arch_k.idle_clock += sysreg_read(cntvct_el0) - t0;
                iar = arch_gic_ack();
                if ((iar & 0x3ff) == GIC_SPURIOUS)
                        continue;
                r = interrupt(iar, false, true);
                if (r)
                        return arch_resume_user(r);
                if ((iar & 0x3ff) == ARCH_TIMER_INTID && !arch_k.dl_head &&
                    ++quiet == IDLE_TICKS_OFF && !arch_stay) {
                        arch_log("no thread to run; %lu timer interrupts, %lu of them in EL0; "
                                 "powering off (PSCI)", (unsigned long)arch_ticks,
                                 (unsigned long)arch_ticks_el0);
                        arch_power_off();
                }
        }
}

/* SVC #0: the core's system call, x0..x7 = struct mk_regs in and out
 * (thatte/arch-aarch64.h; entry.S stored them in the TCB's regs); the
 * thread the core hands back may be another. The IPC round trip's path:
 * kept free of calls but the core's (arch_save_user's work inline). */
static inline struct arch_frame *core_syscall(struct arch_frame *f)
{
        struct mk_tcb *t = (struct mk_tcb *)((char *)f - offsetof(struct mk_tcb, ctx));

        t->ctx.tpidr = sysreg_read(tpidr_el0);
        t->ctx.entry = MK_ENTRY_SYSCALL;
        return arch_resume_user(mk_syscall(&arch_k));
}

/* Any other synchronous exception from EL0 is the thread's fault. */
static __attribute__((noinline)) struct arch_frame *el0_fault(struct arch_frame *f, uint64_t esr)
{
        uint64_t ec = esr >> 26, far = 0;

        if (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER)
                far = sysreg_read(far_el1);
        arch_log("thread %p fault: class %lx at pc %lx address %lx (esr %lx)",
                 (void *)arch_save_user(f), (unsigned long)ec, (unsigned long)f->elr,
                 (unsigned long)far, (unsigned long)esr);
        arch_save_user(f)->ctx.entry = MK_ENTRY_TRAP;
        return arch_resume_user(mk_fault(&arch_k, (unsigned)ec, esr, far));
}

static __attribute__((noinline)) struct arch_frame *not_sync(struct arch_frame *f, uint64_t kind)
{
        if (kind == TRAP_EL0_IRQ || kind == TRAP_EL1_IRQ)
                return irq(f, kind == TRAP_EL0_IRQ);
        arch_panic_trap(f, kind);
}

struct arch_frame *arch_trap(struct arch_frame *f, uint64_t kind)
{
        uint64_t esr;

        if (kind != TRAP_EL0_SYNC)
                return not_sync(f, kind);
        esr = sysreg_read(esr_el1);
        if (esr >> 26 == EC_SVC64 && (esr & 0xffff) == 0)       /* ELR already past the svc */
                return core_syscall(f);
        return el0_fault(f, esr);
}
