/* kernel/arch/aarch64/timer.c: the EL1 physical timer of the generic timer
 * as the scheduler tick. Its frequency is CNTFRQ_EL0, which firmware (or
 * QEMU) sets: read, never assumed. */
#include "arch.h"

uint64_t arch_timer_hz;
static uint64_t interval;

void arch_timer_init(unsigned hz)
{
        arch_timer_hz = sysreg_read(cntfrq_el0);
        interval = arch_timer_hz / hz;
        arch_timer_rearm();
}

/* TVAL counts down from now; CTL.ENABLE on, IMASK off. */
void arch_timer_rearm(void)
{
        sysreg_write(cntp_tval_el0, interval);
        sysreg_write(cntp_ctl_el0, 1);
        __asm__ volatile("isb");
}
