/* kernel/core/fastpath.c: the syscall entry, and call and reply_recv
 * between two threads in the common case, as seL4's fastpath: a message
 * of at most 4 words in registers, no caps, a one-level CSpace, the
 * partner waiting, and the partner the unique highest runnable thread so
 * the switch is direct. Each is one chain of checks on few cache lines
 * with no calls; anything else goes to mk_syscall_slow() (syscall.c, the
 * reference) before anything changed, and the end state is the same. */
#include "kernel.h"

/* The cap cptr names when t's CSpace root is one CNode whose guard and
 * radix take all 64 bits (what the fast path handles) and it has the
 * given type, else NULL. cptr is guard << radix | index. */
static inline const struct mk_cap *fp_lookup(const struct mk_tcb *t, uint64_t cptr,
                                             uint8_t type)
{
        const struct mk_cap *root = &t->slots[MK_TCB_CTABLE].cap, *c;
        unsigned bits = root->bits;
        uint64_t guard = root->word;

        if (root->type != MK_OBJ_CNODE || bits + root->guard_bits != 64 || (cptr >> bits) != guard)
                return NULL;
        c = &mk_cnode_slots(root)[cptr - (guard << bits)].cap;
        return c->type == type ? c : NULL;
}

/* Whether info is a plain message: no caps, at most 4 words, the unused
 * bits clear (so the receiver's info word is info itself). */
static inline bool fp_plain(uint64_t info)
{
        return (info & 0xfff) <= MK_MSG_REG_MRS;
}

/* Whether t would be the unique highest-priority runnable thread: every
 * ready thread has a lower priority. */
static inline bool fp_runs_next(const struct mk_kernel *k, const struct mk_tcb *t)
{
        return k->ready_top <= t->prio;
}

/* Deliver the plain message and switch to dst. */
static inline struct mk_regs *fp_switch(struct mk_kernel *k, const struct mk_tcb *src,
                                        struct mk_tcb *dst, uint64_t info, uint64_t badge)
{
        unsigned len = (unsigned)info & 7;

        if (len) {
                dst->regs.mr[0] = src->regs.mr[0];
                if (len > 1) {
                        dst->regs.mr[1] = src->regs.mr[1];
                        if (len > 2) {
                                dst->regs.mr[2] = src->regs.mr[2];
                                if (len > 3)
                                        dst->regs.mr[3] = src->regs.mr[3];
                        }
                }
        }
        dst->regs.nr = MK_OK;
        dst->regs.cptr = badge;
        dst->regs.info = info;
        dst->state = MK_TS_RUNNING;
        dst->blocked_on = NULL;
        k->cur = dst;
        k->fastpath_hits++;
        return &dst->regs;
}

/* Call an endpoint where a receiver with a reply object waits. */
static inline struct mk_regs *fp_call(struct mk_kernel *k, struct mk_tcb *t)
{
        uint64_t info = t->regs.info;
        const struct mk_cap *c;
        struct mk_endpoint *ep;
        struct mk_tcb *dst, *next;
        struct mk_reply *r;

        if (!fp_plain(info))
                return NULL;
        c = fp_lookup(t, t->regs.cptr, MK_OBJ_ENDPOINT);
        if (!c || !(c->rights & MK_RIGHT_WRITE) ||
            !(c->rights & (MK_RIGHT_GRANT | MK_RIGHT_GRANT_REPLY)))
                return NULL;
        ep = (struct mk_endpoint *)c->obj;
        if (ep->state != MK_EP_RECV)
                return NULL;
        dst = ep->q.head;
        if (!fp_runs_next(k, dst))
                return NULL;
        r = dst->reply;
        if (!r)
                return NULL;

        next = dst->ep_next;
        ep->q.head = next;
        if (next) {
                next->ep_prev = NULL;
        } else {
                ep->q.tail = NULL;
                ep->state = MK_EP_IDLE;
        }
        dst->ep_next = NULL;
        dst->reply = NULL;
        r->receiver = NULL;
        r->caller = t;
        t->reply = r;
        t->state = MK_TS_BLOCKED_REPLY;
        return fp_switch(k, t, dst, info, c->word);
}

/* Reply to the caller bound to the reply object and wait on an endpoint
 * with no sender queued. */
static inline struct mk_regs *fp_reply_recv(struct mk_kernel *k, struct mk_tcb *t)
{
        uint64_t info = t->regs.info;
        const struct mk_cap *c, *rc;
        struct mk_endpoint *ep;
        struct mk_tcb *caller, *tail;
        struct mk_reply *r;

        if (!fp_plain(info) || (t->bound && t->bound->word))
                return NULL;
        rc = fp_lookup(t, t->regs.reply, MK_OBJ_REPLY);
        c = fp_lookup(t, t->regs.cptr, MK_OBJ_ENDPOINT);
        if (!rc || !c || !(c->rights & MK_RIGHT_READ))
                return NULL;
        r = (struct mk_reply *)rc->obj;
        ep = (struct mk_endpoint *)c->obj;
        caller = r->caller;
        if (!caller || r->receiver || ep->state == MK_EP_SEND || !fp_runs_next(k, caller))
                return NULL;

        r->caller = NULL;
        caller->reply = NULL;
        r->can_grant = (c->rights & MK_RIGHT_GRANT) != 0;
        r->receiver = t;
        tail = ep->q.tail;
        t->ep_next = NULL;
        t->ep_prev = tail;
        if (tail)
                tail->ep_next = t;
        else
                ep->q.head = t;
        ep->q.tail = t;
        ep->state = MK_EP_RECV;
        t->blocked_on = ep;
        t->reply = r;
        t->state = MK_TS_BLOCKED_RECV;
        return fp_switch(k, t, caller, info, 0);
}

struct mk_regs *mk_syscall(struct mk_kernel *k)
{
        struct mk_tcb *t = k->cur;
        struct mk_regs *ret = NULL;

        if (k->fastpath) {
                if (t->regs.nr == MK_SYS_CALL)
                        ret = fp_call(k, t);
                else if (t->regs.nr == MK_SYS_REPLY_RECV)
                        ret = fp_reply_recv(k, t);
        }
        return ret ? ret : mk_syscall_slow(k);
}
