/* kernel/arch/aarch64/timer.c: the EL1 physical timer of the generic timer
 * as the core's one-shot timer (deadlines and the timeslice tick, the
 * core's deadline.c). Its frequency is CNTFRQ_EL0, which firmware (or
 * QEMU) sets: read, never assumed. The core's clock is the virtual
 * counter (what EL0 reads); the physical timer compares with the
 * physical counter, so a deadline moves by their difference (CNTVOFF,
 * 0 without a hypervisor). */
#include "arch.h"
#include "kernel.h"

uint64_t arch_timer_hz;
static uint64_t interval;
static unsigned ticks_per_s;

void arch_timer_init(unsigned hz)
{
        arch_timer_hz = sysreg_read(cntfrq_el0);
        ticks_per_s = hz;
        interval = arch_timer_hz / hz;
        arch_timer_rearm();
}

/* After mk_boot (which clears the kernel's state): the core's tick. */
void arch_timer_start(void)
{
        arch_k.tick_period = 1000000000u / ticks_per_s;
        mk_timer_start(&arch_k);
}

/* One interval from now, whatever the core asked (the kernel's own
 * ticks: before the first thread, and while idle with nothing due);
 * the core's next arm replaces it. TVAL counts down from now;
 * CTL.ENABLE on, IMASK off. */
void arch_timer_rearm(void)
{
        arch_k.timer_armed = 0;
        sysreg_write(cntp_tval_el0, interval);
        sysreg_write(cntp_ctl_el0, 1);
        __asm__ volatile("isb");
}

/* struct mk_arch_ops's now: deadlines are nanoseconds of the virtual
 * counter, what EL0 reads as mku_rdtsc. */
uint64_t arch_timer_now(void)
{
        return arch_clock_ns();
}

/* struct mk_arch_ops's timer_set: an interrupt when arch_clock_ns()
 * reaches at (UINT64_MAX: none; a time passed fires at once): at in
 * counter ticks rounded up, so the interrupt never comes before it. */
void arch_timer_set(uint64_t at)
{
        uint64_t offset, ticks, rest;

        if (at == UINT64_MAX) {
                sysreg_write(cntp_ctl_el0, 0);
                return;
        }
        rest = at % 1000000000u * arch_timer_hz;
        ticks = at / 1000000000u * arch_timer_hz + rest / 1000000000u + (rest % 1000000000u != 0);
        offset = sysreg_read(cntpct_el0) - sysreg_read(cntvct_el0);
        sysreg_write(cntp_cval_el0, ticks + offset);
        sysreg_write(cntp_ctl_el0, 1);
        __asm__ volatile("isb");
}
