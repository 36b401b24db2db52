/* kernel/core/deadline.c: deadlines and the timer (kernel/README.md,
 * "Deadlines"). A thread waiting with a deadline (MK_SYS_WAIT_UNTIL on a
 * notification, or in MK_SYS_VM_ENTER) sits in one queue, nearest first
 * (equal deadlines in the order they came); the arch layer's one-shot
 * timer is asked for the nearest of that queue's head and, while a thread
 * runs, its next timeslice tick. An idle CPU with no deadline asks for no
 * interrupt at all. Times are the clock user code reads (mk_now). */
#include "kernel.h"

/* mk_now: the deadlines' clock; on the host (no k->arch) the test's
 * k->host_clock. */
uint64_t mk_now(const struct mk_kernel *k)
{
        if (k->arch && k->arch->now)
                return k->arch->now();
        if (k->arch && k->arch->clock)
                return k->arch->clock();
        return k->host_clock;
}

/* mk_deadline_cancel: t no longer waits for a deadline. */
void mk_deadline_cancel(struct mk_kernel *k, struct mk_tcb *t)
{
        if (!t->dl_at)
                return;
        if (t->dl_prev)
                t->dl_prev->dl_next = t->dl_next;
        else
                k->dl_head = t->dl_next;
        if (t->dl_next)
                t->dl_next->dl_prev = t->dl_prev;
        t->dl_prev = t->dl_next = NULL;
        t->dl_at = 0;
}

/* mk_deadline_set: t waits until at (replacing a deadline it had); 0 and
 * UINT64_MAX, which never pass, queue nothing. */
void mk_deadline_set(struct mk_kernel *k, struct mk_tcb *t, uint64_t at)
{
        struct mk_tcb *prev = NULL, *next = k->dl_head;

        mk_deadline_cancel(k, t);
        if (at == 0 || at == UINT64_MAX)
                return;
        while (next && next->dl_at <= at) {
                prev = next;
                next = next->dl_next;
        }
        t->dl_prev = prev;
        t->dl_next = next;
        if (prev)
                prev->dl_next = t;
        else
                k->dl_head = t;
        if (next)
                next->dl_prev = t;
        t->dl_at = at;
}

/* mk_deadline_expire: every deadline at or before now has passed: a
 * WAIT_UNTIL ends with MK_E_TIMEOUT (badge 0), a VMEnter with
 * MK_VM_EXIT_DEADLINE. The woken threads are ready; the caller
 * schedules. */
void mk_deadline_expire(struct mk_kernel *k, uint64_t now)
{
        struct mk_tcb *t;

        while ((t = k->dl_head) && t->dl_at <= now) {
                mk_deadline_cancel(k, t);
                if (t->state == MK_TS_BLOCKED_NTFN) {
                        mk_tcb_cancel(k, t);
                        t->regs.cptr = 0;
                        t->regs.info = 0;
                        t->regs.nr = MK_E_TIMEOUT;
                        mk_sched_wake(k, t);
                } else if (t->ctx.entry == MK_ENTRY_GUEST && t->vcpu) {
                        mk_vcpu_deadline(k, t, now);
                }
        }
}

/* mk_timer_arm: ask the arch layer for the next interrupt the core
 * needs, if that changed: the nearest deadline, or the running thread's
 * tick (counted from when the CPU stopped idling). */
void mk_timer_arm(struct mk_kernel *k)
{
        uint64_t want = k->dl_head ? k->dl_head->dl_at : UINT64_MAX;

        if (!k->arch || !k->arch->timer_set)
                return;                 /* nothing to arm (host tests without a timer) */
        if (k->cur) {
                if (!k->tick_at)
                        k->tick_at = mk_now(k) + k->tick_period;
                if (k->tick_at < want)
                        want = k->tick_at;
        } else {
                k->tick_at = 0;
        }
        if (want == k->timer_armed)
                return;
        k->timer_armed = want;
        k->arch->timer_set(want);
}

void mk_timer_start(struct mk_kernel *k)
{
        k->tick_at = 0;
        k->timer_armed = 0;
        mk_timer_arm(k);
}

/* The timer interrupt. Without a tick period (the host tests) every call
 * is a tick. */
struct mk_regs *mk_timer_tick(struct mk_kernel *k)
{
        struct mk_tcb *cur = k->cur;
        uint64_t now;

        mk_stretch_begin(k);
        now = mk_now(k);
        k->timer_armed = 0;             /* it fired: whatever is wanted next is armed anew */
        mk_deadline_expire(k, now);
        if (cur && cur->state == MK_TS_RUNNING && (!k->tick_period || now >= k->tick_at)) {
                k->tick_at = now + k->tick_period;
                if (--cur->timeslice == 0)
                        mk_sched_yield(k);
        }
        mk_schedule(k);
        mk_timer_arm(k);
        mk_stretch_end(k);
        return mk_cur_regs(k);
}
