/* kernel/kvmm/timer.c: the guest's timer wake-ups through the kernel's
 * deadlines (kernel/README.md, "Deadlines"): VMEnter carries the APIC's
 * deadline (run.c), and a HLT waits on the VCPU thread's notification
 * until that deadline (MK_SYS_WAIT_UNTIL). No thread of the VMM watches
 * the clock: an idle guest leaves the CPU idle. */
#include "kvmm.h"

void kvmm_wait_until(uint64_t tsc)
{
        uint64_t word;
        int r;

        for (;;) {
                r = mku_wait_until(KVMM_CAP_NTFN, tsc, &word);
                if (r == MK_E_TIMEOUT)
                        return;
                if (r != MK_OK) {
                        kvmm_say("HLT wait refused: kernel error %d", r);
                        kvmm_stop();
                }
                kvmm_badges |= word;
                (void)kvmm_i8042_note(word);    /* device interrupts for the guest */
                if (word)               /* the exit loop serves it */
                        return;
        }
}
