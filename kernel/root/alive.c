/* kernel/root/alive.c: the root task's liveness marker for the VMM's
 * tests (`thatte.test=kvmm-alive`): after `ready`, the root thread drops
 * to the VMM's priority, so it shares the CPU with the VMM's threads by
 * timeslices, and prints `thatte-root: alive N` whenever ALIVE_TICKS of
 * TSC have passed. A guest that spins with interrupts off, or a VMM that
 * misbehaves, cannot silence it unless the kernel stopped preempting. */
#include "root.h"

#define ALIVE_TICKS (1ull << 34)        /* a few seconds */

void rt_alive_run(unsigned prio)
{
        uint64_t next, n = 0;

        rt_must(mku_tcb_set_priority(rt.info->tcb, prio), "alive: set priority");
        next = mku_rdtsc() + ALIVE_TICKS;
        for (;;) {
                if (mku_rdtsc() - next < (1ull << 63)) {        /* next has passed */
                        rt_say("alive %lu", (unsigned long)++n);
                        next = mku_rdtsc() + ALIVE_TICKS;
                }
                mku_yield();
        }
}
