/* kernel/core/syscall.c: the one syscall entry. The arch layer saves the
 * user registers into the current TCB's mk_regs and calls mk_syscall(); it
 * resumes whichever thread's registers come back. Every path that reads
 * user input checks it and ends in an MK_E_* code in regs.nr. */
#include "kernel.h"

/* mk_get_mr: message register i of t (0 beyond MK_MSG_MAX). */
uint64_t mk_get_mr(const struct mk_tcb *t, unsigned i)
{
        if (i < MK_MSG_REG_MRS)
                return t->regs.mr[i];
        return i < MK_MSG_MAX ? t->ipcbuf->mr[i] : 0;
}

/* mk_set_mr: set message register i of t (ignored beyond MK_MSG_MAX). */
void mk_set_mr(struct mk_tcb *t, unsigned i, uint64_t v)
{
        if (i < MK_MSG_REG_MRS)
                t->regs.mr[i] = v;
        else if (i < MK_MSG_MAX)
                t->ipcbuf->mr[i] = v;
}

void mk_set_result(struct mk_kernel *k, unsigned i, uint64_t v)
{
        mk_set_mr(k->cur, i, v);
        if (i + 1 > k->nresults)
                k->nresults = i + 1;
}

static int invoke_method(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        switch (slot->cap.type) {
        case MK_OBJ_UNTYPED:
                return mk_untyped_invoke(k, slot, label);
        case MK_OBJ_CNODE:
                return mk_cnode_invoke(k, slot, label);
        case MK_OBJ_TCB:
                return mk_tcb_invoke(k, slot, label);
        case MK_OBJ_FRAME:
        case MK_OBJ_PML4:
        case MK_OBJ_PDPT:
        case MK_OBJ_PD:
        case MK_OBJ_PT:
        case MK_OBJ_GSPACE:
                return mk_page_invoke(k, slot, label);
        case MK_OBJ_VCPU:
                return mk_vcpu_invoke(k, slot, label);
        case MK_OBJ_IRQ_CONTROL:
        case MK_OBJ_IRQ_HANDLER:
                return mk_irq_invoke(k, slot, label);
        case MK_OBJ_IOPORT_CONTROL:
        case MK_OBJ_IOPORT:
                return mk_ioport_invoke(k, slot, label);
        case MK_OBJ_DEBUG_CONSOLE:
                return mk_console_invoke(k, slot, label);
        default:
                return MK_E_ILLEGAL_OP;
        }
}

/* An object invocation: the reply info says how many result words the
 * method set (none on error). */
static int invoke(struct mk_kernel *k, struct mk_cte *slot)
{
        struct mk_tcb *t = k->cur;
        int r;

        k->nresults = 0;
        r = invoke_method(k, slot, mk_info_label(t->regs.info));
        if (r == MK_PREEMPTED)
                return r;       /* the arguments stay for the next run */
        t->regs.info = mk_info(0, 0, r == MK_OK ? (unsigned)k->nresults : 0);
        return r;
}

static int do_send(struct mk_kernel *k, struct mk_tcb *t, uint64_t nr)
{
        struct mk_cte *s;
        int r = mk_lookup_cap(t, t->regs.cptr, &s);

        if (r != MK_OK)
                return r;
        switch (s->cap.type) {
        case MK_OBJ_ENDPOINT:
                return mk_ep_send(k, t, s, nr != MK_SYS_NBSEND, nr == MK_SYS_CALL);
        case MK_OBJ_NOTIFICATION:
                if (!(s->cap.rights & MK_RIGHT_WRITE))
                        return MK_E_RIGHTS;
                mk_ntfn_signal(k, (struct mk_notification *)s->cap.obj, s->cap.word);
                return MK_OK;
        default:
                return invoke(k, s);
        }
}

static int reply_arg(struct mk_tcb *t, bool required, struct mk_reply **ret)
{
        struct mk_cte *s;
        int r;

        if (t->regs.reply == 0 && !required) {
                *ret = NULL;
                return MK_OK;
        }
        r = mk_lookup_cap(t, t->regs.reply, &s);
        if (r != MK_OK)
                return r;
        if (s->cap.type != MK_OBJ_REPLY)
                return MK_E_WRONG_TYPE;
        *ret = (struct mk_reply *)s->cap.obj;
        return MK_OK;
}

static int do_recv(struct mk_kernel *k, struct mk_tcb *t, uint64_t nr)
{
        bool block = nr != MK_SYS_NBRECV;
        struct mk_reply *reply = NULL;
        struct mk_cte *s;
        int r = mk_lookup_cap(t, t->regs.cptr, &s);

        if (r != MK_OK)
                return r;
        if (s->cap.type == MK_OBJ_NOTIFICATION && nr != MK_SYS_REPLY_RECV) {
                if (!(s->cap.rights & MK_RIGHT_READ))
                        return MK_E_RIGHTS;
                if (nr == MK_SYS_WAIT_UNTIL)
                        return mk_ntfn_wait_until(k, t, (struct mk_notification *)s->cap.obj,
                                                  t->regs.reply);
                return mk_ntfn_wait(k, t, (struct mk_notification *)s->cap.obj, block);
        }
        if (s->cap.type != MK_OBJ_ENDPOINT || nr == MK_SYS_WAIT_UNTIL)
                return MK_E_WRONG_TYPE;
        if (!(s->cap.rights & MK_RIGHT_READ))
                return MK_E_RIGHTS;
        r = reply_arg(t, nr == MK_SYS_REPLY_RECV, &reply);
        if (r != MK_OK)
                return r;
        if (nr == MK_SYS_REPLY_RECV)
                (void)mk_reply_send(k, t, reply);
        return mk_ep_recv(k, t, s, reply, block);
}

static int do_reply(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_cte *s;
        int r = mk_lookup_cap(t, t->regs.cptr, &s);

        if (r != MK_OK)
                return r;
        if (s->cap.type != MK_OBJ_REPLY)
                return MK_E_WRONG_TYPE;
        return mk_reply_send(k, t, (struct mk_reply *)s->cap.obj);
}

static int dispatch(struct mk_kernel *k, struct mk_tcb *t, uint64_t nr)
{
        switch (nr) {
        case MK_SYS_CALL:
        case MK_SYS_SEND:
        case MK_SYS_NBSEND:
                return do_send(k, t, nr);
        case MK_SYS_RECV:
        case MK_SYS_NBRECV:
        case MK_SYS_REPLY_RECV:
        case MK_SYS_WAIT_UNTIL:
                return do_recv(k, t, nr);
        case MK_SYS_REPLY:
                return do_reply(k, t);
        case MK_SYS_YIELD:
                mk_sched_yield(k);
                return MK_OK;
        case MK_SYS_DEBUG_PUT:
                return mk_debug_put(k, t);
        case MK_SYS_VM_ENTER:
                return mk_vcpu_enter(k, t);
        default:
                return MK_E_INVALID_SYSCALL;
        }
}

static bool blocked(const struct mk_tcb *t)
{
        return t->state >= MK_TS_BLOCKED_SEND;
}

struct mk_regs *mk_syscall_slow(struct mk_kernel *k)
{
        struct mk_tcb *t = k->cur;
        uint64_t nr;
        int r;

        if (!t)
                return NULL;
        mk_stretch_begin(k);
        nr = t->regs.nr;
        k->preempted = 0;
        r = k->zombies ? mk_zombies_drain(k) : MK_OK;
        if (r == MK_OK)
                r = dispatch(k, t, nr);
        if (r == MK_PREEMPTED) {
                k->preempted = 1;
                k->preemptions++;
                if (k->arch && k->arch->restart)
                        k->arch->restart(t);
        } else if (!blocked(t)) {
                t->regs.nr = (uint64_t)r;
        }
        mk_schedule(k);
        mk_timer_arm(k);
        mk_stretch_end(k);
        return mk_cur_regs(k);
}
