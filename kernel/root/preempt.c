/* kernel/root/preempt.c: two busy threads at the root's own priority that
 * do not enter the kernel until both have counted. The root yields once:
 * the first spinner runs until the timer ends its timeslice, then the
 * second counts, sees the first's count and soon yields, and the root
 * runs again. Both counters moving proves the timer preempted user code. */
#include "root.h"

#define RT_PREEMPT_YIELDS 100u

void rt_check_preemption(struct rt_space *s)
{
        volatile uint64_t *count = s->shared + CHILD_SH_COUNT / 8;
        struct rt_thread spin[2];
        uint64_t a = 0, b = 0;

        for (unsigned i = 0; i < 2; i++) {
                rt_thread_create(s, &spin[i], s->cspace, 255, 0);
                rt_thread_start(&spin[i], child_spin, CHILD_SHARED_VADDR + CHILD_SH_COUNT + 8 * i);
        }
        for (unsigned n = 0; n < RT_PREEMPT_YIELDS && (a == 0 || b == 0); n++) {
                mku_yield();
                a = count[0];
                b = count[1];
        }
        rt_thread_stop(&spin[0]);
        rt_thread_stop(&spin[1]);
        if (a == 0 || b == 0)
                rt_fail("preemption: a busy thread never ran", 0);
        rt_say("preemption: two busy threads at equal priority both ran under the timer "
               "(%lu and %lu loops)",
               (unsigned long)a, (unsigned long)b);
}
