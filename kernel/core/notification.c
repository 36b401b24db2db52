/* kernel/core/notification.c: asynchronous signals. A signal ORs the
 * sender's badge into the word, or hands it straight to the first waiter
 * (or to the bound thread waiting on an endpoint, or running its guest:
 * its VMEnter ends with MK_VM_EXIT_NOTIFICATION, vcpu.c). */
#include "kernel.h"

static void deliver(struct mk_kernel *k, struct mk_tcb *t, uint64_t word)
{
        mk_tcb_cancel(k, t);
        t->regs.cptr = word;
        t->regs.info = 0;
        t->regs.nr = MK_OK;
        mk_sched_wake(k, t);
}

/* mk_ntfn_signal: signal n with badge. */
void mk_ntfn_signal(struct mk_kernel *k, struct mk_notification *n, uint64_t badge)
{
        struct mk_tcb *b = n->bound;

        if (b && b->state == MK_TS_BLOCKED_RECV) {
                deliver(k, b, n->word | badge);
                n->word = 0;
        } else if (b && b->ctx.entry == MK_ENTRY_GUEST) {
                mk_vcpu_notify(k, b, n->word | badge);  /* VMEnter ends */
                n->word = 0;
        } else if (n->q.head) {
                deliver(k, n->q.head, n->word | badge);
                n->word = 0;
        } else {
                n->word |= badge;
        }
}

/* mk_ntfn_wait: take n's word into t's badge register, or wait for a
 * signal; without block (poll) an empty word gives badge 0. Only the bound
 * thread may wait on a bound notification. Returns MK_OK or
 * MK_E_ILLEGAL_OP. */
int mk_ntfn_wait(struct mk_kernel *k, struct mk_tcb *t, struct mk_notification *n,
                 bool block)
{
        if (n->bound && n->bound != t)
                return MK_E_ILLEGAL_OP;
        t->regs.info = 0;
        if (n->word || !block) {
                t->regs.cptr = n->word;
                n->word = 0;
                return MK_OK;
        }
        mk_queue_append(&n->q, t);
        t->blocked_on = n;
        mk_sched_block(k, t, MK_TS_BLOCKED_NTFN);
        return MK_OK;
}

/* mk_ntfn_wait_until: MK_SYS_WAIT_UNTIL: as a blocking wait, but until
 * the deadline at (deadline.c) at most: one already passed gives
 * MK_E_TIMEOUT and badge 0 at once when the word is empty; at 0 is a
 * plain wait. */
int mk_ntfn_wait_until(struct mk_kernel *k, struct mk_tcb *t, struct mk_notification *n,
                       uint64_t at)
{
        if (n->bound && n->bound != t)
                return MK_E_ILLEGAL_OP;
        if (!n->word && at && at <= mk_now(k)) {
                t->regs.cptr = 0;
                t->regs.info = 0;
                return MK_E_TIMEOUT;
        }
        mk_ntfn_wait(k, t, n, true);
        if (t->state == MK_TS_BLOCKED_NTFN)
                mk_deadline_set(k, t, at);
        return MK_OK;
}

/* mk_ntfn_cancel_all: the notification goes away: its waiters' waits end
 * with MK_E_ABORTED. */
void mk_ntfn_cancel_all(struct mk_kernel *k, struct mk_notification *n)
{
        while (n->q.head)
                mk_tcb_abort(k, n->q.head);
}

/* mk_ntfn_unbind: undo the binding of n and its thread, if any. */
void mk_ntfn_unbind(struct mk_notification *n)
{
        if (n->bound)
                n->bound->bound = NULL;
        n->bound = NULL;
}
