/* kernel/core/irq.c: interrupts for user-level drivers, as seL4 gives
 * them. The IRQ control cap issues one handler cap per line; a handler
 * binds its line to a notification (the kernel keeps a copy of that cap in
 * k->irq_ntfn), an interrupt signals it with the cap's badge and leaves
 * the line masked until the driver acknowledges it. */
#include "kernel.h"

static void set_masked(struct mk_kernel *k, unsigned irq, int masked)
{
        if (k->arch && k->arch->irq_set_masked)
                k->arch->irq_set_masked(irq, masked);
}

/* IRQ_CONTROL_GET: a handler cap for mr0 into slot mr2 of CNode mr1. */
static int control_get(struct mk_kernel *k, struct mk_cte *ctl)
{
        uint64_t irq = mk_arg(k, 0);
        struct mk_cte *dst;
        struct mk_cap c;
        int r;

        if (irq >= MK_IRQ_COUNT)
                return MK_E_RANGE;
        r = mk_dest_slots(k, mk_arg(k, 1), mk_arg(k, 2), 1, &dst);
        if (r != MK_OK)
                return r;
        if (k->irq_issued[irq / 64] & ((uint64_t)1 << irq % 64))
                return MK_E_DELETE_FIRST;
        mk_memset(&c, 0, sizeof(c));
        c.type = MK_OBJ_IRQ_HANDLER;
        c.rights = MK_RIGHTS_ALL;
        c.obj = (uintptr_t)irq;
        c.word = irq;
        mk_mdb_insert_child(ctl, dst, &c);
        k->irq_issued[irq / 64] |= (uint64_t)1 << irq % 64;
        return MK_OK;
}

/* IRQ_HANDLER_SET_NOTIFICATION: signal the notification cap mr0 (with
 * write) on this line, which is unmasked. */
static int set_notification(struct mk_kernel *k, unsigned irq)
{
        struct mk_cte *s;
        struct mk_cap c;
        int r;

        r = mk_cap_arg(k, 0, MK_OBJ_NOTIFICATION, MK_RIGHT_WRITE, &s);
        if (r != MK_OK)
                return r;
        r = mk_cap_derive(&s->cap, MK_RIGHTS_ALL, false, 0, &c);
        if (r != MK_OK)
                return r;
        mk_cte_delete(k, &k->irq_ntfn[irq]);
        mk_mdb_insert_child(s, &k->irq_ntfn[irq], &c);
        set_masked(k, irq, 0);
        return MK_OK;
}

/* mk_irq_invoke: the IRQ control and handler methods. Returns MK_OK or
 * MK_E_*. */
int mk_irq_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        unsigned irq = (unsigned)slot->cap.word;

        if (slot->cap.type == MK_OBJ_IRQ_CONTROL)
                return label == MK_IRQ_CONTROL_GET ? control_get(k, slot) : MK_E_INVALID_ARG;
        switch (label) {
        case MK_IRQ_HANDLER_SET_NOTIFICATION:
                return set_notification(k, irq);
        case MK_IRQ_HANDLER_ACK:
                set_masked(k, irq, 0);
                return MK_OK;
        case MK_IRQ_HANDLER_CLEAR:
                mk_cte_delete(k, &k->irq_ntfn[irq]);
                set_masked(k, irq, 1);
                return MK_OK;
        default:
                return MK_E_INVALID_ARG;
        }
}

/* mk_irq_handler_gone: the last handler cap of irq went: forget the
 * notification, mask the line, and let the control cap issue it again.
 * Runs inside a deletion: the notification cap goes without draining. */
void mk_irq_handler_gone(struct mk_kernel *k, unsigned irq)
{
        mk_cte_delete_leaf(k, &k->irq_ntfn[irq]);
        set_masked(k, irq, 1);
        k->irq_issued[irq / 64] &= ~((uint64_t)1 << irq % 64);
}

struct mk_regs *mk_irq(struct mk_kernel *k, unsigned irq)
{
        const struct mk_cap *c;

        mk_stretch_begin(k);
        if (irq < MK_IRQ_COUNT) {
                c = &k->irq_ntfn[irq].cap;
                if (c->type == MK_OBJ_NOTIFICATION)
                        mk_ntfn_signal(k, (struct mk_notification *)c->obj, c->word);
        }
        mk_schedule(k);
        mk_timer_arm(k);
        mk_stretch_end(k);
        return mk_cur_regs(k);
}
