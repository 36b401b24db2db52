/* kernel/core/tcb.c: thread state changes and the TCB invocations. */
#include "kernel.h"

/* mk_tcb_cancel: take t out of whatever it waits in: an IPC queue, a reply
 * binding, a notification queue or the ready queues. */
void mk_tcb_cancel(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_endpoint *ep = t->blocked_on;
        struct mk_notification *n = t->blocked_on;

        switch (t->state) {
        case MK_TS_BLOCKED_SEND:
        case MK_TS_BLOCKED_RECV:
                mk_queue_remove(&ep->q, t);
                if (!ep->q.head)
                        ep->state = MK_EP_IDLE;
                break;
        case MK_TS_BLOCKED_NTFN:
                mk_queue_remove(&n->q, t);
                break;
        case MK_TS_READY:
                mk_sched_dequeue(k, t);
                break;
        default:
                break;
        }
        if (t->reply) {
                if (t->reply->caller == t)
                        t->reply->caller = NULL;
                if (t->reply->receiver == t)
                        t->reply->receiver = NULL;
                t->reply = NULL;
        }
        t->blocked_on = NULL;
        t->state = t == k->cur ? MK_TS_RUNNING : MK_TS_INACTIVE;
}

/* mk_tcb_suspend: cancel what t waits for and make it inactive; a blocked
 * operation ends with MK_E_ABORTED. */
void mk_tcb_suspend(struct mk_kernel *k, struct mk_tcb *t)
{
        if (t->state >= MK_TS_BLOCKED_SEND)
                t->regs.nr = MK_E_ABORTED;
        mk_tcb_cancel(k, t);
        t->state = MK_TS_INACTIVE;
}

/* mk_tcb_resume: make an inactive thread ready; others are untouched. */
void mk_tcb_resume(struct mk_kernel *k, struct mk_tcb *t)
{
        if (t->state == MK_TS_INACTIVE && t != k->cur)
                mk_sched_wake(k, t);
        else if (t->state == MK_TS_INACTIVE)
                t->state = MK_TS_RUNNING;
}

/* mk_tcb_abort: end t's blocked operation with MK_E_ABORTED. */
void mk_tcb_abort(struct mk_kernel *k, struct mk_tcb *t)
{
        mk_tcb_cancel(k, t);
        t->regs.nr = MK_E_ABORTED;
        if (t != k->cur)
                mk_sched_wake(k, t);
}

/* mk_tcb_set_prio: change t's priority; a ready thread moves to the tail
 * of its new queue, the running one is reconsidered by mk_schedule(). */
void mk_tcb_set_prio(struct mk_kernel *k, struct mk_tcb *t, uint8_t prio)
{
        if (t->state == MK_TS_READY) {
                mk_sched_dequeue(k, t);
                t->prio = prio;
                mk_sched_enqueue(k, t, false);
                return;
        }
        t->prio = prio;
}

/* Install a copy of the cap at cptr (of type want) into t's slot; the old
 * cap there may not be the last one to its object (that would cascade into
 * deletions behind the caller's back). */
static int set_root(struct mk_kernel *k, struct mk_tcb *t, unsigned which,
                    uint64_t cptr, uint8_t want)
{
        struct mk_cte *src, *dst = &t->slots[which];
        struct mk_cap c;
        int r;

        if (which == MK_TCB_VTABLE && cptr == 0) {
                src = NULL;
        } else {
                r = mk_lookup_cap(k->cur, cptr, &src);
                if (r != MK_OK)
                        return r;
                if (src->cap.type != want)
                        return MK_E_WRONG_TYPE;
                r = mk_cap_derive(&src->cap, MK_RIGHTS_ALL, false, 0, &c);
                if (r != MK_OK)
                        return r;
        }
        if (dst == src)
                return MK_OK;
        if (dst->cap.type != MK_OBJ_NULL && mk_mdb_is_final(dst))
                return MK_E_DELETE_FIRST;
        mk_cte_delete(k, dst);
        if (src)
                mk_mdb_insert_child(src, dst, &c);
        return MK_OK;
}

static int configure(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_cte *s;
        uint64_t cs = mk_get_mr(k->cur, 0), vs = mk_get_mr(k->cur, 1);
        int r;

        /* validate both before changing either */
        r = mk_lookup_cap(k->cur, cs, &s);
        if (r != MK_OK)
                return r;
        if (s->cap.type != MK_OBJ_CNODE)
                return MK_E_WRONG_TYPE;
        if (vs != 0) {
                r = mk_lookup_cap(k->cur, vs, &s);
                if (r != MK_OK)
                        return r;
                if (s->cap.type != MK_OBJ_PML4)
                        return MK_E_WRONG_TYPE;
        }
        for (unsigned i = 0; i < MK_TCB_SLOTS; i++)
                if (t->slots[i].cap.type != MK_OBJ_NULL && mk_mdb_is_final(&t->slots[i]))
                        return MK_E_DELETE_FIRST;
        r = set_root(k, t, MK_TCB_CTABLE, cs, MK_OBJ_CNODE);
        if (r == MK_OK)
                r = set_root(k, t, MK_TCB_VTABLE, vs, MK_OBJ_PML4);
        return r;
}

static int bind(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_cte *s;
        struct mk_notification *n;
        int r;

        r = mk_lookup_cap(k->cur, mk_get_mr(k->cur, 0), &s);
        if (r != MK_OK)
                return r;
        if (s->cap.type != MK_OBJ_NOTIFICATION)
                return MK_E_WRONG_TYPE;
        if (!(s->cap.rights & MK_RIGHT_READ))
                return MK_E_RIGHTS;
        n = (struct mk_notification *)s->cap.obj;
        if (t->bound || n->bound || n->q.head)
                return MK_E_DELETE_FIRST;
        n->bound = t;
        t->bound = n;
        return MK_OK;
}

/* mk_tcb_invoke: the TCB methods (labels MK_TCB_*) on the TCB in slot.
 * Returns MK_OK or MK_E_*. */
int mk_tcb_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        struct mk_tcb *t = (struct mk_tcb *)slot->cap.obj;
        uint64_t prio;

        switch (label) {
        case MK_TCB_CONFIGURE:
                return configure(k, t);
        case MK_TCB_SET_PRIORITY:
                prio = mk_get_mr(k->cur, 0);
                if (prio >= MK_NUM_PRIOS)
                        return MK_E_RANGE;
                if (prio > k->cur->prio)
                        return MK_E_RIGHTS;
                mk_tcb_set_prio(k, t, (uint8_t)prio);
                return MK_OK;
        case MK_TCB_RESUME:
                mk_tcb_resume(k, t);
                return MK_OK;
        case MK_TCB_SUSPEND:
                mk_tcb_suspend(k, t);
                return MK_OK;
        case MK_TCB_BIND_NOTIFICATION:
                return bind(k, t);
        case MK_TCB_UNBIND_NOTIFICATION:
                if (!t->bound)
                        return MK_E_ILLEGAL_OP;
                mk_ntfn_unbind(t->bound);
                return MK_OK;
        default:
                return MK_E_INVALID_ARG;
        }
}
