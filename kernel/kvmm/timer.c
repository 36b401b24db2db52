/* kernel/kvmm/timer.c: the guest's timer wake-ups. thatte-mk has no
 * timeouts, so a second thread of the VMM's space, at the VCPU thread's
 * priority, watches the TSC: when the deadline the VCPU thread published
 * has passed it signals the notification bound to the VCPU thread. That
 * ends a running VMEnter (exit MK_VM_EXIT_NOTIFICATION) or a wait in
 * kvmm_wait_until. While the guest runs, the two threads share the CPU by
 * timeslices, so a deadline is seen within one timeslice of the kernel's;
 * while the VCPU thread waits, the timer thread has the CPU to itself. */
#include "kvmm.h"

volatile uint64_t kvmm_wake_at;

void kvmm_timer_run(void)
{
        for (;;) {
                uint64_t at = kvmm_wake_at;

                if (kvmm_stopped)
                        kvmm_stop();
                if (at && mku_rdtsc() >= at) {
                        kvmm_wake_at = 0;
                        (void)mku_signal(KVMM_CAP_NTFN);
                }
                kvmm_chan_beat();
                mku_yield();
        }
}

void kvmm_wait_until(uint64_t tsc)
{
        struct mku_msg msg;

        while (mku_rdtsc() < tsc) {
                kvmm_wake_at = tsc;     /* the timer thread clears it when it signals */
                if (mku_recv(KVMM_CAP_NTFN, 0, &msg) != MK_OK)
                        continue;
                kvmm_badges |= msg.badge;
                (void)kvmm_i8042_note(msg.badge);       /* device interrupts for the guest */
                if (msg.badge)          /* not the timer's: the exit loop serves it */
                        return;
        }
}
