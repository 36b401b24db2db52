/* kernel/arch/aarch64/trap.c: what the vectors hand over. From EL0 (the
 * frame is the current thread's context in its TCB, entry.S): SVC #0, the
 * core's system calls; SVC #1, this layer's bring-up calls (number in x8,
 * arguments from x0, result in x0); data and instruction aborts (logged;
 * the thread goes on after the instruction with x0 = A64_FAULT_MARK, so it
 * can check that the fault was seen). IRQs from either level: the timer
 * tick, which a tick at EL0 also gives the core. Anything else from EL1 is
 * a kernel bug: panic. arch_trap returns the frame to return through: the
 * same, or the context of the thread the core hands back (context.c). */
#include "arch.h"
#include "kernel.h"

_Static_assert(A64_MK_SYS_DEBUG_PUT == MK_SYS_DEBUG_PUT, "user.S's DEBUG_PUT number");
_Static_assert(A64_MK_SYS_YIELD == MK_SYS_YIELD, "user.S's YIELD number");
_Static_assert(A64_MK_SYS_CALL == MK_SYS_CALL && A64_MK_SYS_RECV == MK_SYS_RECV &&
               A64_MK_SYS_REPLY_RECV == MK_SYS_REPLY_RECV, "user.S's IPC numbers");

#define EC_SVC64 0x15
#define EC_IABT_LOWER 0x20
#define EC_DABT_LOWER 0x24
#define GIC_SPURIOUS 1023

uint64_t arch_ticks, arch_ticks_el0;

/* An interrupt. A tick that hit EL0 is the core's too (mk_timer_tick:
 * the timeslice; another thread may go on). */
static struct arch_frame *irq(struct arch_frame *f, bool from_el0)
{
        unsigned iar = arch_gic_ack(), intid = iar & 0x3ff;

        if (intid == GIC_SPURIOUS)
                return f;
        if (intid != ARCH_TIMER_INTID) {
                arch_log("unexpected interrupt %u", intid);
                arch_gic_eoi(iar);
                return f;
        }
        arch_ticks++;
        arch_ticks_el0 += from_el0;
        arch_timer_rearm();
        arch_gic_eoi(iar);
        if (!from_el0)
                return f;
        arch_save_user(f)->ctx.entry = MK_ENTRY_TRAP;
        return arch_resume_user(mk_timer_tick(&arch_k));
}

/* DEBUG_PUT: x0 = address, x1 = length (at most 256), inside the task's
 * own pages; written as it is. */
static uint64_t sys_put(uint64_t addr, uint64_t len)
{
        if (len > 256 || !arch_user_range_ok(addr, len))
                return (uint64_t)-14;
        arch_serial_write((const char *)(uintptr_t)addr, len);
        return 0;
}

static void syscall(struct arch_frame *f)
{
        switch (f->x[8]) {
        case A64_SYS_PUT:
                f->x[0] = sys_put(f->x[0], f->x[1]);
                break;
        case A64_SYS_TICKS:
                f->x[0] = arch_ticks_el0;
                break;
        case A64_SYS_FB:
                f->x[0] = arch_fb_phys ? ARCH_USER_FB : 0;
                f->x[1] = arch_fb_width;
                f->x[2] = arch_fb_height;
                break;
        case A64_SYS_POWER_OFF:
                arch_log("%lu timer interrupts, %lu of them in EL0; powering off (PSCI)",
                         (unsigned long)arch_ticks, (unsigned long)arch_ticks_el0);
                arch_power_off();
        default:
                f->x[0] = (uint64_t)-38;
        }
}

/* SVC #0: the core's system call, x0..x7 = struct mk_regs in and out
 * (thatte/arch-aarch64.h; entry.S stored them in the TCB's regs); the
 * thread the core hands back may be another. */
static struct arch_frame *core_syscall(struct arch_frame *f)
{
        struct mk_tcb *t = arch_save_user(f);

        t->ctx.entry = MK_ENTRY_SYSCALL;
        return arch_resume_user(mk_syscall(&arch_k));
}

static struct arch_frame *el0_sync(struct arch_frame *f)
{
        uint64_t esr = sysreg_read(esr_el1), ec = esr >> 26;

        if (ec == EC_SVC64) {   /* ELR already points past the svc */
                if ((esr & 0xffff) == 0)
                        return core_syscall(f);
                syscall(f);
                return f;
        }
        if (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER) {
                arch_log("EL0 %s fault at %lx (pc %lx, esr %lx)", ec == EC_DABT_LOWER ? "data" : "instruction",
                         (unsigned long)sysreg_read(far_el1), (unsigned long)f->elr, (unsigned long)esr);
                f->x[0] = A64_FAULT_MARK;
                f->elr += 4;
                return f;
        }
        arch_panic("EL0 exception class %lx at %lx (esr %lx)", (unsigned long)ec, (unsigned long)f->elr,
                   (unsigned long)esr);
}

struct arch_frame *arch_trap(struct arch_frame *f, uint64_t kind)
{
        switch (kind) {
        case TRAP_EL0_SYNC:
                return el0_sync(f);
        case TRAP_EL0_IRQ:
        case TRAP_EL1_IRQ:
                return irq(f, kind == TRAP_EL0_IRQ);
        default:
                arch_panic("kernel exception (kind %lu) at %lx: esr %lx far %lx", (unsigned long)kind,
                           (unsigned long)f->elr, (unsigned long)sysreg_read(esr_el1),
                           (unsigned long)sysreg_read(far_el1));
        }
}
