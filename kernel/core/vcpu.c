/* kernel/core/vcpu.c: virtual CPUs (kernel/README.md, "Virtual machines").
 * A VCPU is bound to one thread and holds a copy of one guest space cap.
 * The thread runs the guest with MK_SYS_VM_ENTER: the core takes the
 * guest registers from its message registers and marks the thread
 * MK_ENTRY_GUEST; the arch layer, about to return to that thread, runs the
 * guest instead, and on an exit for the VMM calls mk_vcpu_exit(), which
 * puts the registers and the exit back into the message registers and
 * lets the syscall return. Host interrupts end the guest's run inside the
 * kernel: the thread stays MK_ENTRY_GUEST, so the scheduler may run
 * others and the guest goes on when the thread is resumed. */
#include "kernel.h"

static int state_field(struct mk_kernel *k, struct mk_vcpu *v, bool write)
{
        uint64_t field = mk_arg(k, 0), value = mk_arg(k, 1);
        int r;

        if (field >= MK_VCPU_STATE_COUNT)
                return MK_E_RANGE;
        if (!k->arch || !k->arch->vcpu_state)
                return MK_E_UNSUPPORTED;
        r = k->arch->vcpu_state(mk_vcpu_arch(v), (unsigned)field, &value, write);
        if (r == MK_OK && !write)
                mk_set_result(k, 0, value);
        return r;
}

/* mk_vcpu_unbind: v and its thread part. A thread in VMEnter returns from
 * it with MK_E_ABORTED. */
void mk_vcpu_unbind(struct mk_kernel *k, struct mk_vcpu *v)
{
        struct mk_tcb *t = v->tcb;

        if (!t)
                return;
        if (t->ctx.entry == MK_ENTRY_GUEST) {
                t->ctx.entry = MK_ENTRY_SYSCALL;
                t->regs.nr = MK_E_ABORTED;
        }
        mk_deadline_cancel(k, t);
        t->vcpu = NULL;
        v->tcb = NULL;
}

/* VCPU_SET_TCB: bind the thread mr0 (one VCPU per thread, one thread per
 * VCPU), or unbind with 0. */
static int set_tcb(struct mk_kernel *k, struct mk_vcpu *v)
{
        struct mk_cte *s;
        struct mk_tcb *t;
        int r;

        if (mk_arg(k, 0) == 0) {
                mk_vcpu_unbind(k, v);
                return MK_OK;
        }
        r = mk_cap_arg(k, 0, MK_OBJ_TCB, 0, &s);
        if (r != MK_OK)
                return r;
        t = (struct mk_tcb *)s->cap.obj;
        if (v->tcb == t)
                return MK_OK;
        if (v->tcb || t->vcpu)
                return MK_E_DELETE_FIRST;
        v->tcb = t;
        t->vcpu = v;
        return MK_OK;
}

/* VCPU_SET_SPACE: the guest space mr0 (0: none) replaces the old one; the
 * VCPU keeps a copy of its cap. The old copy may not be the last cap. */
static int set_space(struct mk_kernel *k, struct mk_vcpu *v)
{
        struct mk_cte *s = NULL;
        struct mk_cap c;
        int r;

        if (mk_arg(k, 0) != 0) {
                r = mk_cap_arg(k, 0, MK_OBJ_GSPACE, 0, &s);
                if (r != MK_OK)
                        return r;
        }
        if (s == &v->space)
                return MK_OK;
        if (v->space.cap.type != MK_OBJ_NULL && mk_mdb_is_final(&v->space))
                return MK_E_DELETE_FIRST;
        mk_cte_delete_leaf(k, &v->space);
        if (s && mk_cap_derive(&s->cap, MK_RIGHTS_ALL, false, 0, &c) == MK_OK)
                mk_mdb_insert_child(s, &v->space, &c);
        return MK_OK;
}

/* VCPU_ALLOW_PORTS: the ports of the I/O port cap mr0 pass through. */
static int allow_ports(struct mk_kernel *k, struct mk_vcpu *v)
{
        struct mk_cte *s;
        int r = mk_cap_arg(k, 0, MK_OBJ_IOPORT, 0, &s);

        if (r != MK_OK)
                return r;
        if (k->arch && k->arch->vcpu_ports)
                k->arch->vcpu_ports(mk_vcpu_arch(v), (uint16_t)(s->cap.word & 0xffff),
                                    (uint16_t)(s->cap.word >> 16));
        return MK_OK;
}

/* mk_vcpu_invoke: the VCPU methods (labels MK_VCPU_*). Returns MK_OK or
 * MK_E_*. */
int mk_vcpu_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        struct mk_vcpu *v = mk_vcpu_of(slot->cap.obj);

        switch (label) {
        case MK_VCPU_SET_TCB:
                return set_tcb(k, v);
        case MK_VCPU_SET_SPACE:
                return set_space(k, v);
        case MK_VCPU_WRITE_STATE:
                return state_field(k, v, true);
        case MK_VCPU_READ_STATE:
                return state_field(k, v, false);
        case MK_VCPU_ALLOW_PORTS:
                return allow_ports(k, v);
        default:
                return MK_E_INVALID_ARG;
        }
}

/* mk_vcpu_finalise: the last cap of the VCPU went: its thread is unbound
 * (leaving VMEnter with MK_E_ABORTED) and its guest space copy deleted
 * (a guest space has no slots, so this deletes nothing further). */
void mk_vcpu_finalise(struct mk_kernel *k, struct mk_vcpu *v)
{
        mk_vcpu_unbind(k, v);
        mk_cte_delete_leaf(k, &v->space);
}

/* The VMEnter message registers: exit words and rip in registers, the
 * rest in the IPC buffer (t->ipcbuf is always valid), copied straight:
 * this is the short path of every exit. */
_Static_assert(MK_VCPU_MR_RIP < MK_MSG_REG_MRS && MK_VCPU_MR_LEN >= MK_MSG_REG_MRS &&
               MK_VCPU_MR_COUNT <= MK_MSG_MAX, "VCPU message registers");

/* mk_vcpu_enter: MK_SYS_VM_ENTER by t. Needs a bound VCPU with a guest
 * space (MK_E_ILLEGAL_OP otherwise). Reads rip, rflags, the registers and
 * the event to inject from the message registers (all MK_VCPU_MR_COUNT,
 * whatever the message length), the deadline from the reply register: a
 * passed one ends VMEnter before the guest runs. */
int mk_vcpu_enter(struct mk_kernel *k, struct mk_tcb *t)
{
        struct mk_vcpu *v = t->vcpu;
        const uint64_t *m = t->ipcbuf->mr;
        uint64_t at;

        if (!v || v->space.cap.type != MK_OBJ_GSPACE)
                return MK_E_ILLEGAL_OP;
        v->rip = t->regs.mr[MK_VCPU_MR_RIP];
        v->rflags = m[MK_VCPU_MR_RFLAGS];
        v->inject = m[MK_VCPU_MR_INJECT];
        for (unsigned i = 0; i < 16; i++)
                v->gpr[i] = m[MK_VCPU_MR_GPR + i];
        t->ctx.entry = MK_ENTRY_GUEST;
        if (t->bound && t->bound->word) {       /* a signal came while the VMM ran */
                mk_vcpu_notify(k, t, t->bound->word);
                t->bound->word = 0;
                return MK_OK;
        }
        at = t->regs.reply;
        if (at && at <= mk_now(k))
                mk_vcpu_deadline(k, t, mk_now(k));
        else
                mk_deadline_set(k, t, at);
        return MK_OK;
}

/* mk_vcpu_notify: t is in VMEnter and its bound notification got word:
 * VMEnter returns at once with MK_VM_EXIT_NOTIFICATION, the guest's
 * registers as they stand and the event still to inject, so the VMM can
 * inject the interrupt the signal stands for (an IRQ handler cap's
 * notification bound to the VMM thread) and enter again. */
static void end_enter(struct mk_kernel *k, struct mk_tcb *t, uint64_t exit, uint64_t info1)
{
        struct mk_vcpu *v = t->vcpu;

        v->exit = exit;
        v->info1 = info1;
        v->info2 = 0;
        v->len = 0;
        v->intinfo = v->inject;
        v->inject = 0;
        mk_vcpu_exit(k, t);
}

void mk_vcpu_notify(struct mk_kernel *k, struct mk_tcb *t, uint64_t word)
{
        end_enter(k, t, MK_VM_EXIT_NOTIFICATION, word);
}

/* mk_vcpu_deadline: t's VMEnter deadline passed (now): VMEnter returns
 * with MK_VM_EXIT_DEADLINE (INFO1: now), as for a notification. */
void mk_vcpu_deadline(struct mk_kernel *k, struct mk_tcb *t, uint64_t now)
{
        end_enter(k, t, MK_VM_EXIT_DEADLINE, now);
}

/* mk_vcpu_exit: the guest of t's VCPU exited for the VMM (the arch layer
 * filled the VCPU's registers and exit words): VMEnter returns MK_OK with
 * them in the message registers. */
void mk_vcpu_exit(struct mk_kernel *k, struct mk_tcb *t)
{
        const struct mk_vcpu *v = t->vcpu;
        uint64_t *m = t->ipcbuf->mr;

        mk_deadline_cancel(k, t);
        t->regs.mr[MK_VCPU_MR_EXIT] = v->exit;
        t->regs.mr[MK_VCPU_MR_INFO1] = v->info1;
        t->regs.mr[MK_VCPU_MR_INFO2] = v->info2;
        t->regs.mr[MK_VCPU_MR_RIP] = v->rip;
        m[MK_VCPU_MR_LEN] = v->len;
        m[MK_VCPU_MR_INJECT] = v->intinfo;
        m[MK_VCPU_MR_RFLAGS] = v->rflags;
        for (unsigned i = 0; i < 16; i++)
                m[MK_VCPU_MR_GPR + i] = v->gpr[i];
        t->regs.nr = MK_OK;
        t->regs.info = mk_info(0, 0, MK_VCPU_MR_COUNT);
        t->ctx.entry = MK_ENTRY_SYSCALL;
}
