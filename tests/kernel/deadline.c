/* tests/kernel/deadline.c: deadlines (kernel/README.md, "Deadlines"):
 * MK_SYS_WAIT_UNTIL on a notification and VMEnter's deadline, with a
 * fake clock and timer so each step can check what the core armed.
 * Hostile cases: deadlines 0, passed, equal to now and UINT64_MAX; many
 * waiters with shuffled and equal deadlines woken in order; the
 * notification or the waiting thread deleted while queued; a signal, an
 * exit and the VCPU's deletion before the deadline. After every step the
 * queue is checked: sorted, linked both ways, each entry a thread that
 * still waits, and the timer armed for its head or the running thread's
 * tick, whichever is first. */
#include "kt.h"

#define PERIOD 1000u
#define NWAIT 40u

static uint64_t clock_now = 1000, armed = 0, arms;
static uint64_t pool[NWAIT + 2];        /* threads at 200, made while the root may */

static uint64_t fake_clock(void)
{
        return clock_now;
}

static void fake_timer_set(uint64_t at)
{
        armed = at;
        arms++;
}

static const struct mk_arch_ops ops = { .clock = fake_clock, .timer_set = fake_timer_set };

static bool queued(const struct mk_tcb *t)
{
        for (const struct mk_tcb *q = kt_k.dl_head; q; q = q->dl_next)
                if (q == t)
                        return true;
        return false;
}

/* The queue's invariants and the timer's. */
static void check(const char *what)
{
        const struct mk_tcb *prev = NULL;
        uint64_t want = UINT64_MAX;
        bool good = true;

        for (const struct mk_tcb *t = kt_k.dl_head; t; prev = t, t = t->dl_next) {
                good &= t->dl_prev == prev && t->dl_at != 0 && t->dl_at != UINT64_MAX;
                good &= !prev || prev->dl_at <= t->dl_at;
                good &= t->state == MK_TS_BLOCKED_NTFN || t->ctx.entry == MK_ENTRY_GUEST;
        }
        if (kt_k.dl_head)
                want = kt_k.dl_head->dl_at;
        if (kt_k.cur && kt_k.tick_at < want)
                want = kt_k.tick_at;
        ok(good && armed == want, "%s: queue sorted and linked, timer armed for %lx (is %lx)",
           what, (unsigned long)want, (unsigned long)armed);
}

static uint64_t wait_until(struct mk_tcb *t, uint64_t n, uint64_t at)
{
        return kt_sys(t, MK_SYS_WAIT_UNTIL, n, at, 0, NULL);
}

static uint64_t tick(uint64_t now)
{
        clock_now = now;
        mk_timer_tick(&kt_k);
        return now;
}

static void basics(uint64_t n, uint64_t nw, uint64_t ep)
{
        struct mk_tcb *root = kt_root();

        is_int(wait_until(root, ep, 5000), MK_E_WRONG_TYPE, "WAIT_UNTIL on an endpoint");
        is_int(wait_until(root, nw, 5000), MK_E_RIGHTS, "WAIT_UNTIL needs read");
        is_int(wait_until(root, n, 500), MK_E_TIMEOUT, "a deadline passed: timeout at once");
        ok(root->regs.cptr == 0 && kt_k.cur == root && !kt_k.dl_head, "badge 0, not queued");
        is_int(wait_until(root, n, clock_now), MK_E_TIMEOUT, "a deadline equal to now has passed");
        kt_sys(root, MK_SYS_SEND, n, 0, 0, NULL);
        is_int(wait_until(root, n, 500), MK_OK, "a pending word wins over a passed deadline");
        is_int(root->regs.cptr, 7, "with its badge");
        check("after the passed deadlines");

        /* the root alone waits: the CPU idles until the deadline, no tick */
        is_int(wait_until(root, n, 5000), MK_SYS_WAIT_UNTIL, "a future deadline blocks");
        ok(kt_k.cur == NULL && queued(root) && armed == 5000, "idle, armed for the deadline only");
        check("idle with one deadline");
        tick(4999);
        ok(root->state == MK_TS_BLOCKED_NTFN && armed == 5000, "one tick early: still waits");
        tick(5000);
        ok(kt_k.cur == root && root->regs.nr == MK_E_TIMEOUT && root->regs.cptr == 0,
           "the deadline wakes it with MK_E_TIMEOUT");
        ok(!kt_k.dl_head && kt_k.tick_at == 5000 + PERIOD, "dequeued; the tick armed again");
        check("after the timeout");

        /* UINT64_MAX never passes; 0 is none: both wait for a signal */
        is_int(wait_until(root, n, UINT64_MAX), MK_SYS_WAIT_UNTIL, "UINT64_MAX blocks");
        ok(!kt_k.dl_head && armed == UINT64_MAX, "not queued, nothing armed");
        tick((uint64_t)1 << 40);
        is_int(root->state, MK_TS_BLOCKED_NTFN, "a tick much later does not wake it");
        mk_ntfn_signal(&kt_k, (struct mk_notification *)kt_slot(n)->cap.obj, 3);
        mk_schedule(&kt_k);
        mk_timer_arm(&kt_k);
        ok(kt_k.cur == root && root->regs.nr == MK_OK && root->regs.cptr == 3, "a signal wakes it");
        is_int(wait_until(root, n, 0), MK_SYS_WAIT_UNTIL, "deadline 0 blocks");
        ok(!kt_k.dl_head, "and is not queued");
        mk_ntfn_signal(&kt_k, (struct mk_notification *)kt_slot(n)->cap.obj, 5);
        mk_schedule(&kt_k);
        mk_timer_arm(&kt_k);
        ok(kt_k.cur == root && root->regs.nr == MK_OK && root->regs.cptr == 5, "a signal ends it");
        check("after the signals");
}

/* The woken threads (above the root) stop, as if suspended by another:
 * the root runs again. */
static void suspend_woken(void)
{
        while (kt_k.cur != kt_root()) {
                mk_tcb_suspend(&kt_k, kt_k.cur);
                mk_schedule(&kt_k);
        }
        mk_timer_arm(&kt_k);
}

/* NWAIT threads above the root wait with shuffled deadlines, some equal;
 * ticks wake exactly the passed ones, equal ones in the order they came. */
static void many(uint64_t n)
{
        struct mk_tcb *root = kt_root(), *w[NWAIT];
        uint64_t at[NWAIT], c, base = clock_now;
        unsigned order = 0, woke[NWAIT] = { 0 };
        bool fine = true;

        for (unsigned i = 0; i < NWAIT; i++) {
                c = pool[i];
                w[i] = kt_tcb(c);
                at[i] = base + 100 + (i * 7919u) % 23u * 10u;   /* 23 values: some equal */
                kt_inv(c, MK_TCB_RESUME, 0);
                fine &= kt_k.cur == w[i] && wait_until(w[i], n, at[i]) == MK_SYS_WAIT_UNTIL;
        }
        ok(fine && kt_k.cur == root, "%u threads wait with deadlines", NWAIT);
        check("many waiters");
        for (const struct mk_tcb *t = kt_k.dl_head; t && t->dl_next; t = t->dl_next)
                if (t->dl_at == t->dl_next->dl_at)
                        fine &= t < t->dl_next;         /* pool TCBs: made in order */
        ok(fine, "equal deadlines queued in the order they came");
        for (uint64_t now = base + 100; now <= base + 100 + 230; now += 5) {
                tick(now);
                for (unsigned i = 0; i < NWAIT; i++) {
                        bool passed = at[i] <= now;

                        fine &= passed == (w[i]->state != MK_TS_BLOCKED_NTFN);
                        fine &= passed == (w[i]->regs.nr == MK_E_TIMEOUT);
                        if (passed && !woke[i])
                                woke[i] = ++order;
                }
                check("a tick among the waiters");
                suspend_woken();
        }
        for (unsigned i = 0; i < NWAIT; i++)
                for (unsigned j = 0; j < NWAIT; j++)
                        fine &= at[i] >= at[j] || woke[i] < woke[j];
        ok(fine && order == NWAIT && !kt_k.dl_head, "each woke at its deadline, in order");
        mk_timer_arm(&kt_k);
        check("all woken");
}

/* Deletion while queued: the notification (the wait ends ABORTED) and
 * the thread itself (it leaves the queue before its memory goes). */
static void deletions(void)
{
        struct mk_tcb *root = kt_root(), *a, *b;
        uint64_t n2 = kt_new(MK_OBJ_NOTIFICATION, 0, 1), ta = pool[NWAIT], tb = pool[NWAIT + 1];

        a = kt_tcb(ta);
        b = kt_tcb(tb);
        kt_inv(ta, MK_TCB_RESUME, 0);
        wait_until(a, n2, clock_now + 50);
        kt_inv(tb, MK_TCB_RESUME, 0);
        wait_until(b, n2, clock_now + 60);
        ok(queued(a) && queued(b), "two threads wait on a notification with deadlines");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, n2, (uint64_t)64), MK_OK,
               "delete the notification");
        ok(!queued(a) && !queued(b) && a->regs.nr == MK_E_ABORTED && b->regs.nr == MK_E_ABORTED,
           "both waits end with MK_E_ABORTED and leave the deadline queue");
        check("notification deleted");
        suspend_woken();
        tick(clock_now + 100);
        ok(a->regs.nr == MK_E_ABORTED && b->regs.nr == MK_E_ABORTED, "their deadlines never fire");

        n2 = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        kt_inv(ta, MK_TCB_RESUME, 0);
        wait_until(a, n2, clock_now + 50);
        ok(queued(a), "a thread waits with a deadline");
        is_int(kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, ta, (uint64_t)64), MK_OK, "delete its TCB");
        ok(!kt_k.dl_head, "it left the deadline queue");
        check("thread deleted");
        tick(clock_now + 100);          /* ASan: nothing reaches the freed TCB */
        ok(kt_k.cur == root, "the deadline passes harmlessly");
        kt_inv(tb, MK_TCB_RESUME, 0);
        wait_until(b, n2, clock_now + 50);
        kt_inv(tb, MK_TCB_SUSPEND, 0);
        ok(!queued(b) && b->regs.nr == MK_E_ABORTED, "a suspended waiter leaves the queue");
        check("waiter suspended");
}

static uint64_t vm_enter(struct mk_tcb *t, uint64_t at, uint64_t inject)
{
        uint64_t mr[MK_VCPU_MR_COUNT] = { 0 };

        mr[MK_VCPU_MR_RIP] = 0x1000;
        mr[MK_VCPU_MR_RFLAGS] = 2;
        mr[MK_VCPU_MR_INJECT] = inject;
        return kt_sys(t, MK_SYS_VM_ENTER, 0, at, mk_info(0, 0, MK_VCPU_MR_COUNT), mr);
}

/* VMEnter's deadline: passed, future, beaten by a signal or an exit, 0,
 * and the VCPU deleted meanwhile. */
static void vmenter(uint64_t n)
{
        struct mk_tcb *root = kt_root();
        uint64_t v = kt_new(MK_OBJ_VCPU, 0, 1), gs = kt_new(MK_OBJ_GSPACE, 0, 1);
        struct mk_vcpu *vc;

        ok(v && gs, "a VCPU and a guest space");
        kt_inv(v, MK_VCPU_SET_SPACE, 1, gs);
        kt_inv(v, MK_VCPU_SET_TCB, 1, (uint64_t)1);
        vc = mk_vcpu_of(kt_slot(v)->cap.obj);
        is_int(vm_enter(root, clock_now - 1, 0x80000031u), MK_OK, "VMEnter with a passed deadline");
        ok(root->ctx.entry == MK_ENTRY_SYSCALL &&
           mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_DEADLINE &&
           mk_get_mr(root, MK_VCPU_MR_INFO1) == clock_now &&
           mk_get_mr(root, MK_VCPU_MR_INJECT) == 0x80000031u && !kt_k.dl_head,
           "ends before the guest runs, the event handed back");
        is_int(vm_enter(root, clock_now + 300, 0), MK_OK, "VMEnter with a future deadline");
        ok(root->ctx.entry == MK_ENTRY_GUEST && queued(root), "in the guest, queued");
        check("in the guest with a deadline");
        tick(clock_now + 299);
        is_int(root->ctx.entry, MK_ENTRY_GUEST, "a tick before it: still in the guest");
        tick(clock_now + 1);
        ok(root->ctx.entry == MK_ENTRY_SYSCALL &&
           mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_DEADLINE &&
           mk_get_mr(root, MK_VCPU_MR_INFO1) == clock_now && !kt_k.dl_head,
           "the deadline ends VMEnter with MK_VM_EXIT_DEADLINE and the time");
        check("after the guest's deadline");

        is_int(kt_inv(1, MK_TCB_BIND_NOTIFICATION, 1, n), MK_OK, "bind the notification");
        vm_enter(root, clock_now + 300, 0);
        mk_ntfn_signal(&kt_k, (struct mk_notification *)kt_slot(n)->cap.obj, 9);
        ok(mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_NOTIFICATION && !kt_k.dl_head,
           "a signal first: a notification exit, the deadline dropped");
        vm_enter(root, clock_now + 300, 0);
        vc->exit = MK_VM_EXIT_HLT;
        mk_vcpu_exit(&kt_k, root);
        ok(mk_get_mr(root, MK_VCPU_MR_EXIT) == MK_VM_EXIT_HLT && !kt_k.dl_head,
           "an exit first: the deadline dropped");
        vm_enter(root, 0, 0);
        ok(root->ctx.entry == MK_ENTRY_GUEST && !kt_k.dl_head, "deadline 0: none");
        mk_vcpu_exit(&kt_k, root);
        vm_enter(root, UINT64_MAX, 0);
        ok(root->ctx.entry == MK_ENTRY_GUEST && !kt_k.dl_head, "UINT64_MAX: never queued");
        mk_vcpu_exit(&kt_k, root);
        mk_timer_arm(&kt_k);
        vm_enter(root, clock_now + 300, 0);
        mk_cte_delete(&kt_k, kt_slot(v));       /* as another thread would */
        ok(root->regs.nr == MK_E_ABORTED && !kt_k.dl_head, "the VCPU deleted: aborted, dequeued");
        tick(clock_now + 400);
        is_int(root->regs.nr, MK_E_ABORTED, "its deadline never fires");
        check("VCPU deleted");
}

int main(void)
{
        uint64_t n, n7, nw, ep;

        kt_boot();
        kt_k.arch = &ops;
        kt_k.vm = 1;
        kt_k.tick_period = PERIOD;
        mk_timer_start(&kt_k);
        ok(armed == clock_now + PERIOD, "the first tick armed");
        for (unsigned i = 0; i < NWAIT + 2; i++)
                pool[i] = kt_thread(200);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)100);
        n = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        n7 = kt_next++;
        nw = kt_next++;
        kt_inv(KT_CNODE, MK_CNODE_MINT, 6, n7, (uint64_t)64, n, (uint64_t)64,
               (uint64_t)MK_RIGHTS_ALL, (uint64_t)7);
        kt_inv(KT_CNODE, MK_CNODE_MINT, 6, nw, (uint64_t)64, n, (uint64_t)64,
               (uint64_t)MK_RIGHT_WRITE, (uint64_t)0);
        basics(n7, nw, ep);
        many(n);
        deletions();
        vmenter(n);
        return tap_done();
}
