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
        mk_deadline_cancel(k, t);
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

/* The cap TCB_CONFIGURE installs in t's slot which, from cptr: the CSpace
 * root must be a CNode, the VSpace root a PML4, the fault endpoint an
 * endpoint cap that may call (write, and grant or grant-reply). cptr 0
 * names none, except for the CSpace. */
static int slot_source(struct mk_kernel *k, unsigned which, uint64_t cptr,
                       struct mk_cte **ret)
{
        static const uint8_t want[MK_TCB_SLOTS] = {
                [MK_TCB_CTABLE] = MK_OBJ_CNODE,
                [MK_TCB_VTABLE] = MK_OBJ_PML4,
                [MK_TCB_FAULT_EP] = MK_OBJ_ENDPOINT,
        };
        struct mk_cte *s = NULL;
        int r;

        if (cptr != 0 || which == MK_TCB_CTABLE) {
                r = mk_lookup_cap(k->cur, cptr, &s);
                if (r != MK_OK)
                        return r;
                if (s->cap.type != want[which])
                        return MK_E_WRONG_TYPE;
                if (which == MK_TCB_FAULT_EP && (!(s->cap.rights & MK_RIGHT_WRITE) ||
                    !(s->cap.rights & (MK_RIGHT_GRANT | MK_RIGHT_GRANT_REPLY))))
                        return MK_E_RIGHTS;
        }
        *ret = s;
        return MK_OK;
}

/* Replace the cap in t's slot which by a copy of the cap in src (NULL:
 * none), with flags added. Callers make sure the old cap is not the last
 * one to an object whose deletion would cascade. */
static void set_slot(struct mk_kernel *k, struct mk_tcb *t, unsigned which,
                     struct mk_cte *src, uint8_t flags)
{
        struct mk_cte *dst = &t->slots[which];
        struct mk_cap c;

        if (dst == src)
                return;
        mk_cte_delete(k, dst);
        if (!src || mk_cap_derive(&src->cap, MK_RIGHTS_ALL, false, 0, &c) != MK_OK)
                return;
        c.flags |= flags;
        mk_mdb_insert_child(src, dst, &c);
}

/* TCB_CONFIGURE: CSpace root, VSpace root and fault endpoint, all checked
 * before any changes. */
static int configure(struct mk_kernel *k, struct mk_tcb *t)
{
        static const unsigned which[] = { MK_TCB_CTABLE, MK_TCB_VTABLE, MK_TCB_FAULT_EP };
        struct mk_cte *src[3], *dst;
        int r;

        for (unsigned i = 0; i < 3; i++) {
                r = slot_source(k, which[i], mk_arg(k, i), &src[i]);
                if (r != MK_OK)
                        return r;
        }
        for (unsigned i = 0; i < 3; i++) {
                dst = &t->slots[which[i]];
                if (dst->cap.type != MK_OBJ_NULL && dst != src[i] && mk_mdb_is_final(dst))
                        return MK_E_DELETE_FIRST;
        }
        for (unsigned i = 0; i < 3; i++)
                set_slot(k, t, which[i], src[i], 0);
        return MK_OK;
}

/* TCB_WRITE_REGISTERS: a fresh user context; the arch layer restores it
 * whole (entry TRAP). A rip outside the user half could not be returned
 * to, a TLS base outside it could not be loaded. */
static int write_registers(struct mk_kernel *k, struct mk_tcb *t)
{
        uint64_t rip = mk_arg(k, 0), tls = mk_arg(k, 4);

        if (rip >= MK_USER_TOP || tls >= MK_USER_TOP)
                return MK_E_RANGE;
        mk_ctx_start(&t->ctx, rip, mk_arg(k, 1), mk_arg(k, 2), tls);
        t->ctx.entry = MK_ENTRY_TRAP;
        if (mk_arg(k, 3) & 1)
                mk_tcb_resume(k, t);
        return MK_OK;
}

/* TCB_SET_IPC_BUFFER: the buffer at user address mr0 lies in the 4 KiB
 * frame mr1 (read and write, not device memory: the kernel reads and
 * writes it through its own mapping of the frame). The TCB keeps a copy of
 * the frame cap; deleting that copy points it back at t->buf. */
static int set_ipc_buffer(struct mk_kernel *k, struct mk_tcb *t)
{
        uint64_t addr = mk_arg(k, 0), cptr = mk_arg(k, 1), off = addr & mk_mask(MK_FRAME_BITS);
        const uint8_t rw = MK_RIGHT_READ | MK_RIGHT_WRITE;
        struct mk_cte *f = NULL;
        int r;

        if (cptr != 0) {
                r = mk_cap_arg(k, 1, MK_OBJ_FRAME, rw, &f);
                if (r != MK_OK)
                        return r;
                if (f->cap.bits != MK_FRAME_BITS)
                        return MK_E_WRONG_TYPE;
                if (f->cap.flags & MK_CAPF_DEVICE)
                        return MK_E_ILLEGAL_OP;
                if (addr & 7)
                        return MK_E_ALIGNMENT;
                if (off + sizeof(struct mk_ipcbuf) > ((uint64_t)1 << MK_FRAME_BITS))
                        return MK_E_RANGE;
        }
        set_slot(k, t, MK_TCB_IPCBUF, f, MK_CAPF_IPCBUF);
        if (f)
                t->ipcbuf = (struct mk_ipcbuf *)(f->cap.obj + off);
        return MK_OK;
}

/* mk_tcb_ipcbuf_deleted: the IPC buffer frame cap in a TCB's slot is going
 * away: the TCB uses its own buffer again. */
void mk_tcb_ipcbuf_deleted(struct mk_cte *slot)
{
        struct mk_tcb *t = (struct mk_tcb *)((char *)slot -
                                             offsetof(struct mk_tcb, slots[MK_TCB_IPCBUF]));

        t->ipcbuf = &t->buf;
}

static int bind(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_cte *s;
        struct mk_notification *n;
        int r;

        r = mk_cap_arg(k, 0, MK_OBJ_NOTIFICATION, MK_RIGHT_READ, &s);
        if (r != MK_OK)
                return r;
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
                prio = mk_arg(k, 0);
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
        case MK_TCB_WRITE_REGISTERS:
                return write_registers(k, t);
        case MK_TCB_SET_IPC_BUFFER:
                return set_ipc_buffer(k, t);
        default:
                return MK_E_INVALID_ARG;
        }
}
