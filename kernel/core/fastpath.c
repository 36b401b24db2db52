/* kernel/core/fastpath.c: call and reply_recv between two threads in the
 * common case, as seL4's fastpath: register-only message, no caps, the
 * partner waiting, and the partner the unique highest runnable thread so
 * the switch is direct. Anything else returns false and the slow path
 * (endpoint.c), the reference, runs instead; the end state is the same. */
#include "kernel.h"

/* mk_lookup_slot() for depth 64, with the one-level CSpace (a root CNode
 * whose guard and radix take all 64 bits) resolved inline. */
static inline struct mk_cap *lookup(struct mk_tcb *t, uint64_t cptr, uint8_t type)
{
        const struct mk_cap *root = &t->slots[MK_TCB_CTABLE].cap;
        struct mk_cte *s;

        if (root->type == MK_OBJ_CNODE && root->bits + root->guard_bits == 64) {
                if ((cptr >> root->bits) != root->word)
                        return NULL;
                s = mk_cnode_slots(root) + (cptr & mk_mask(root->bits));
        } else if (mk_lookup_slot(&t->slots[MK_TCB_CTABLE], cptr, 64, false, &s) != MK_OK) {
                return NULL;
        }
        return s->cap.type == type ? &s->cap : NULL;
}

static inline bool plain_msg(uint64_t info)
{
        return mk_info_caps(info) == 0 && mk_info_len(info) <= MK_MSG_REG_MRS;
}

static inline bool runs_next(const struct mk_kernel *k, const struct mk_tcb *t)
{
        return mk_sched_highest(k) < (int)t->prio;
}

static inline void copy_msg(struct mk_tcb *src, struct mk_tcb *dst, uint64_t info,
                            uint64_t badge)
{
        unsigned len = mk_info_len(info);

        for (unsigned i = 0; i < len; i++)
                dst->regs.mr[i] = src->regs.mr[i];
        dst->regs.info = mk_info(mk_info_label(info), 0, len);
        dst->regs.cptr = badge;
        dst->regs.nr = MK_OK;
}

static inline void switch_to(struct mk_kernel *k, struct mk_tcb *t)
{
        t->state = MK_TS_RUNNING;
        t->blocked_on = NULL;
        k->cur = t;
        k->fastpath_hits++;
}

/* mk_fastpath_call: the current thread calls an endpoint where a receiver
 * with a reply object waits. Returns true when done, false to take the
 * slow path (nothing changed). */
bool mk_fastpath_call(struct mk_kernel *k)
{
        struct mk_tcb *t = k->cur, *dst;
        uint64_t info = t->regs.info;
        struct mk_endpoint *ep;
        struct mk_reply *r;
        struct mk_cap *c;

        if (!plain_msg(info))
                return false;
        c = lookup(t, t->regs.cptr, MK_OBJ_ENDPOINT);
        if (!c || !(c->rights & MK_RIGHT_WRITE) ||
            !(c->rights & (MK_RIGHT_GRANT | MK_RIGHT_GRANT_REPLY)))
                return false;
        ep = (struct mk_endpoint *)c->obj;
        if (ep->state != MK_EP_RECV)
                return false;
        dst = ep->q.head;
        r = dst->reply;
        if (!r || !runs_next(k, dst))
                return false;

        mk_queue_remove(&ep->q, dst);
        if (!ep->q.head)
                ep->state = MK_EP_IDLE;
        dst->reply = NULL;
        r->receiver = NULL;
        r->caller = t;
        t->reply = r;
        t->state = MK_TS_BLOCKED_REPLY;
        copy_msg(t, dst, info, c->word);
        switch_to(k, dst);
        return true;
}

/* mk_fastpath_reply_recv: the current thread replies to the caller bound
 * to its reply object and waits on an endpoint with no sender queued.
 * Returns true when done, false to take the slow path (nothing changed). */
bool mk_fastpath_reply_recv(struct mk_kernel *k)
{
        struct mk_tcb *t = k->cur, *caller;
        uint64_t info = t->regs.info;
        struct mk_endpoint *ep;
        struct mk_cap *c, *rc;
        struct mk_reply *r;

        if (!plain_msg(info) || (t->bound && t->bound->word))
                return false;
        rc = lookup(t, t->regs.reply, MK_OBJ_REPLY);
        if (!rc)
                return false;
        r = (struct mk_reply *)rc->obj;
        caller = r->caller;
        if (!caller || r->receiver || !runs_next(k, caller))
                return false;
        c = lookup(t, t->regs.cptr, MK_OBJ_ENDPOINT);
        if (!c || !(c->rights & MK_RIGHT_READ))
                return false;
        ep = (struct mk_endpoint *)c->obj;
        if (ep->state == MK_EP_SEND)
                return false;

        r->caller = NULL;
        caller->reply = NULL;
        copy_msg(t, caller, info, 0);
        r->can_grant = !!(c->rights & MK_RIGHT_GRANT);
        mk_queue_append(&ep->q, t);
        ep->state = MK_EP_RECV;
        t->blocked_on = ep;
        t->reply = r;
        r->receiver = t;
        t->state = MK_TS_BLOCKED_RECV;
        switch_to(k, caller);
        return true;
}
