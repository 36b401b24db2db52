/* kernel/root/alive.c: the root task's liveness marker for the VMM's
 * tests (`thatte.test=kvmm-alive`): after `ready`, the root thread drops
 * to the VMM's priority, so it shares the CPU with the VMM's threads by
 * timeslices, and prints `thatte-root: alive N` whenever ALIVE_TICKS of
 * TSC have passed. A guest that spins with interrupts off, or a VMM that
 * misbehaves, cannot silence it unless the kernel stopped preempting.
 * With a display channel the channel's loop ticks it (rt_alive_tick), so
 * the heartbeat the compositor needs goes on. */
#include "root.h"

#define ALIVE_TICKS (1ull << 34)        /* a few seconds */

static uint64_t next, beats;    /* next == 0: not started */

void rt_alive_start(unsigned prio)
{
        rt_must(mku_tcb_set_priority(rt.info->tcb, prio), "alive: set priority");
        next = mku_rdtsc() + ALIVE_TICKS;
}

void rt_alive_tick(void)
{
        if (next && rt_passed(next)) {
                rt_say("alive %lu", (unsigned long)++beats);
                next = mku_rdtsc() + ALIVE_TICKS;
        }
}

void rt_alive_run(void)
{
        while (next) {
                rt_alive_tick();
                mku_yield();
        }
}
