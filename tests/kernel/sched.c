/* tests/kernel/sched.c: the bitmap against a linear scan, round robin by
 * timer ticks, preemption (the preempted thread keeps its turn), priority
 * changes and their limits, yield, suspend/resume and idle. */
#include "kt.h"

static struct mk_kernel bk;
static struct mk_tcb fake[64];

static int linear_highest(void)
{
        for (int p = MK_NUM_PRIOS - 1; p >= 0; p--)
                if (bk.ready[p].head)
                        return p;
        return -1;
}

static void bitmap_checks(void)
{
        unsigned seed = 12345, bad = 0;

        is_int(mk_sched_highest(&bk), -1, "empty bitmap: no ready thread");
        for (int i = 0; i < 5000; i++) {
                struct mk_tcb *t = &fake[(seed = seed * 1103515245u + 12345u) >> 16 & 63];

                if (t->state == MK_TS_READY) {
                        mk_sched_dequeue(&bk, t);
                        t->state = MK_TS_INACTIVE;
                } else {
                        t->prio = (uint8_t)(seed >> 8);
                        mk_sched_wake(&bk, t);
                }
                bad += mk_sched_highest(&bk) != linear_highest();
                bad += (int)bk.ready_top - 1 != linear_highest();
        }
        is_int(bad, 0, "bitmap lookup and ready_top equal a linear scan over 5000 random changes");
}

int main(void)
{
        struct mk_tcb *root, *T[3], *H;
        uint64_t t[3], h;

        bitmap_checks();
        kt_boot();
        root = kt_root();
        for (int i = 0; i < 3; i++) {
                t[i] = kt_thread(10);
                T[i] = kt_tcb(t[i]);
                is_int(T[i]->state, MK_TS_INACTIVE, "new thread %d inactive", i);
                kt_inv(t[i], MK_TCB_RESUME, 0);
                is_int(T[i]->state, MK_TS_READY, "resumed thread %d ready", i);
        }
        h = kt_thread(20);
        H = kt_tcb(h);
        ok(kt_k.cur == root && root->state == MK_TS_RUNNING, "root (255) keeps running");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)256), MK_E_RANGE, "priority 256");
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)0);
        ok(kt_k.cur == T[0] && root->state == MK_TS_READY, "lowering itself lets thread 0 run");

        /* round robin by ticks */
        for (unsigned i = 0; i < MK_TIMESLICE_TICKS - 1; i++)
                mk_timer_tick(&kt_k);
        ok(kt_k.cur == T[0], "thread 0 runs until its timeslice ends");
        ok(mk_timer_tick(&kt_k) == &T[1]->regs, "then thread 1");
        for (unsigned i = 0; i < MK_TIMESLICE_TICKS; i++)
                mk_timer_tick(&kt_k);
        ok(kt_k.cur == T[2], "then thread 2");
        for (unsigned i = 0; i < MK_TIMESLICE_TICKS; i++)
                mk_timer_tick(&kt_k);
        ok(kt_k.cur == T[0], "then thread 0 again");

        /* preemption keeps the turn */
        mk_timer_tick(&kt_k);
        is_int(kt_inv(h, MK_TCB_SET_PRIORITY, 1, (uint64_t)20), MK_E_RIGHTS,
               "no priority above the caller's own");
        kt_inv(h, MK_TCB_SET_PRIORITY, 1, (uint64_t)5);
        kt_inv(h, MK_TCB_RESUME, 0);
        ok(kt_k.cur == T[0] && H->state == MK_TS_READY, "lower priority thread waits");
        mk_tcb_set_prio(&kt_k, H, 20);
        kt_sys(T[0], MK_SYS_YIELD, 0, 0, 0, NULL);
        ok(kt_k.cur == H, "a raised priority runs at the next decision");
        kt_inv(h, MK_TCB_SUSPEND, 0);
        is_int(H->state, MK_TS_INACTIVE, "suspended itself");
        ok(kt_k.cur == T[1], "round robin resumed after the preemption");
        is_int(T[0]->state, MK_TS_READY, "yielded thread is ready");

        /* priority change of a ready thread moves it */
        kt_inv(t[2], MK_TCB_SET_PRIORITY, 1, (uint64_t)10);
        kt_inv(t[0], MK_TCB_SET_PRIORITY, 1, (uint64_t)10);
        ok(kt_k.cur == T[1], "equal priority does not preempt");
        kt_inv(t[1], MK_TCB_SET_PRIORITY, 1, (uint64_t)9);
        ok(kt_k.cur == T[2] && T[1]->state == MK_TS_READY, "lowering the running thread hands over");
        kt_sys(T[2], MK_SYS_YIELD, 0, 0, 0, NULL);
        ok(kt_k.cur == T[0], "yield goes to the next equal thread");

        /* suspend everything: idle */
        kt_inv(t[1], MK_TCB_SUSPEND, 0);
        kt_inv(t[2], MK_TCB_SUSPEND, 0);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SUSPEND, 0);
        kt_inv(t[0], MK_TCB_SUSPEND, 0);
        ok(kt_k.cur == NULL, "nothing runnable: idle");
        ok(mk_syscall_slow(&kt_k) == NULL && mk_timer_tick(&kt_k) == NULL,
           "idle entry points return NULL");
        mk_tcb_resume(&kt_k, T[1]);
        mk_schedule(&kt_k);
        ok(kt_k.cur == T[1] && T[1]->state == MK_TS_RUNNING, "a resume ends idling");
        return tap_done();
}
