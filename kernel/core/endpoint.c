/* kernel/core/endpoint.c: synchronous IPC, the reference path. An
 * endpoint queues either senders or receivers, FIFO. A call binds the
 * receiver's reply object to the caller, which then waits for the reply. */
#include "kernel.h"

static struct mk_tcb *dequeue(struct mk_endpoint *ep)
{
        struct mk_tcb *t = ep->q.head;

        mk_queue_remove(&ep->q, t);
        if (!ep->q.head)
                ep->state = MK_EP_IDLE;
        t->blocked_on = NULL;
        return t;
}

static void enqueue(struct mk_endpoint *ep, struct mk_tcb *t, uint64_t state)
{
        mk_queue_append(&ep->q, t);
        ep->state = state;
        t->blocked_on = ep;
}

/* Bind reply object r to a dequeued caller; without one the call ends
 * with MK_E_ABORTED (the message was delivered). */
static void bind_caller(struct mk_kernel *k, struct mk_tcb *caller, struct mk_reply *r)
{
        if (!r) {
                caller->regs.nr = MK_E_ABORTED;
                mk_sched_wake(k, caller);
                return;
        }
        r->caller = caller;
        caller->reply = r;
        mk_sched_block(k, caller, MK_TS_BLOCKED_REPLY);
}

/* mk_ep_send: send t's message through the endpoint cap in slot. Blocks
 * when no receiver waits (or returns MK_E_WOULD_BLOCK without block).
 * Returns MK_OK, MK_E_RIGHTS, MK_E_WOULD_BLOCK or MK_E_ABORTED (a call
 * reached a receiver without a reply object). */
int mk_ep_send(struct mk_kernel *k, struct mk_tcb *t, struct mk_cte *slot, bool block,
               bool call)
{
        struct mk_endpoint *ep = (struct mk_endpoint *)slot->cap.obj;
        uint8_t rights = slot->cap.rights;
        struct mk_tcb *dst;
        struct mk_reply *r;

        if (!(rights & MK_RIGHT_WRITE))
                return MK_E_RIGHTS;
        if (call && !(rights & (MK_RIGHT_GRANT | MK_RIGHT_GRANT_REPLY)))
                return MK_E_RIGHTS;
        if (ep->state != MK_EP_RECV) {
                if (!block)
                        return MK_E_WOULD_BLOCK;
                enqueue(ep, t, MK_EP_SEND);
                t->blocked_badge = slot->cap.word;
                t->blocked_call = call;
                t->blocked_grant = !!(rights & MK_RIGHT_GRANT);
                mk_sched_block(k, t, MK_TS_BLOCKED_SEND);
                return MK_OK;
        }
        dst = dequeue(ep);
        mk_msg_transfer(k, t, dst, slot->cap.word, rights & MK_RIGHT_GRANT);
        r = dst->reply;
        dst->reply = NULL;
        if (r)
                r->receiver = NULL;
        dst->regs.nr = MK_OK;
        mk_sched_wake(k, dst);
        if (!call)
                return MK_OK;
        if (!r)
                return MK_E_ABORTED;
        bind_caller(k, t, r);
        return MK_OK;
}

/* A thread with a bound notification takes a pending signal first. */
static bool take_signal(struct mk_tcb *t)
{
        if (!t->bound || !t->bound->word)
                return false;
        t->regs.cptr = t->bound->word;
        t->regs.info = 0;
        t->bound->word = 0;
        return true;
}

/* mk_ep_recv: receive on the endpoint cap in slot; reply (may be NULL) is
 * bound to a caller. Returns MK_OK, MK_E_RIGHTS, MK_E_DELETE_FIRST (reply
 * object already waiting in another receive) or MK_E_WOULD_BLOCK. */
int mk_ep_recv(struct mk_kernel *k, struct mk_tcb *t, struct mk_cte *slot,
               struct mk_reply *reply, bool block)
{
        struct mk_endpoint *ep = (struct mk_endpoint *)slot->cap.obj;
        struct mk_tcb *src;

        if (!(slot->cap.rights & MK_RIGHT_READ))
                return MK_E_RIGHTS;
        if (reply && reply->receiver && reply->receiver != t)
                return MK_E_DELETE_FIRST;
        if (take_signal(t))
                return MK_OK;
        if (reply) {
                if (reply->caller)
                        mk_tcb_abort(k, reply->caller);
                reply->can_grant = !!(slot->cap.rights & MK_RIGHT_GRANT);
        }
        if (ep->state != MK_EP_SEND) {
                if (!block)
                        return MK_E_WOULD_BLOCK;
                enqueue(ep, t, MK_EP_RECV);
                t->reply = reply;
                if (reply)
                        reply->receiver = t;
                mk_sched_block(k, t, MK_TS_BLOCKED_RECV);
                return MK_OK;
        }
        src = dequeue(ep);
        mk_msg_transfer(k, src, t, src->blocked_badge, src->blocked_grant);
        if (src->blocked_call) {
                bind_caller(k, src, reply);
        } else {
                src->regs.nr = MK_OK;
                mk_sched_wake(k, src);
        }
        return MK_OK;
}

/* mk_reply_send: deliver t's message to the caller bound to r and wake it.
 * Nothing happens when no caller is bound. Returns MK_OK. */
int mk_reply_send(struct mk_kernel *k, struct mk_tcb *t, struct mk_reply *r)
{
        struct mk_tcb *c = r->caller;

        if (!c)
                return MK_OK;
        r->caller = NULL;
        c->reply = NULL;
        mk_msg_transfer(k, t, c, 0, r->can_grant);
        c->regs.nr = MK_OK;
        mk_sched_wake(k, c);
        return MK_OK;
}

/* mk_reply_unbind: the reply object goes away: its caller's call ends with
 * MK_E_ABORTED, a receiver keeps waiting without it. */
void mk_reply_unbind(struct mk_kernel *k, struct mk_reply *r)
{
        if (r->caller)
                mk_tcb_abort(k, r->caller);
        if (r->receiver)
                r->receiver->reply = NULL;
        r->receiver = NULL;
}

/* mk_ep_cancel_all: the endpoint goes away; every queued thread's
 * operation ends with MK_E_ABORTED. */
void mk_ep_cancel_all(struct mk_kernel *k, struct mk_endpoint *ep)
{
        while (ep->q.head)
                mk_tcb_abort(k, ep->q.head);
}
