/* kernel/root/watchdog.c: a thread at the lowest priority that signals the
 * root's notification once the TSC passes a deadline. The root arms it
 * before a blocking wait for something the kernel must deliver (a fault
 * message, an IRQ): if that never comes, the wait ends with the watchdog's
 * badge and the root reports a FAIL instead of hanging. */
#include "root.h"

/* About a second of TSC on real hardware; several under QEMU -icount. */
#define RT_WATCHDOG_TICKS (1ull << 31)

static struct rt_thread wd;

void rt_watchdog_init(struct rt_space *s)
{
        rt_give(s, CHILD_SLOT_WATCHDOG, rt_copy(rt.ntfn, MK_RIGHT_WRITE, RT_BADGE_WATCHDOG));
        rt_thread_create(s, &wd, s->svc_cspace, 1, 0);
}

void rt_watchdog_arm_ticks(uint64_t ticks)
{
        rt_thread_start(&wd, child_watchdog, mku_rdtsc() + ticks);
}

void rt_watchdog_arm(void)
{
        rt_watchdog_arm_ticks(RT_WATCHDOG_TICKS);
}

void rt_watchdog_disarm(void)
{
        uint64_t word;

        rt_thread_stop(&wd);
        (void)mku_poll(rt.ntfn, &word);
}
