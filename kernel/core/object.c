/* kernel/core/object.c: what happens when an object is created from
 * untyped memory (already zeroed) and when its last cap goes. */
#include "kernel.h"

/* mk_object_init: set up a new object in zeroed memory; a TCB needs more
 * than zeroes, a PML4 the kernel half of the address space. */
void mk_object_init(struct mk_kernel *k, uint8_t type, void *obj, uint64_t bits)
{
        struct mk_tcb *t = obj;

        if (type == MK_OBJ_PML4 && k->arch && k->arch->vspace_init)
                k->arch->vspace_init(obj);
        if (type == MK_OBJ_VCPU && k->arch && k->arch->vcpu_init)
                k->arch->vcpu_init(obj);
        if (type != MK_OBJ_TCB)
                return;
        t->state = MK_TS_INACTIVE;
        t->timeslice = MK_TIMESLICE_TICKS;
        t->ipcbuf = &t->buf;
}

/* mk_object_finalise: release every reference the kernel holds to the
 * object of cap, whose last cap is gone. A TCB's slots are deleted by the
 * caller (delete.c), a table was emptied before its last cap went. */
void mk_object_finalise(struct mk_kernel *k, struct mk_cap *cap)
{
        switch (cap->type) {
        case MK_OBJ_ENDPOINT:
                mk_ep_cancel_all(k, (struct mk_endpoint *)cap->obj);
                break;
        case MK_OBJ_NOTIFICATION:
                mk_ntfn_cancel_all(k, (struct mk_notification *)cap->obj);
                mk_ntfn_unbind((struct mk_notification *)cap->obj);
                break;
        case MK_OBJ_REPLY:
                mk_reply_unbind(k, (struct mk_reply *)cap->obj);
                break;
        case MK_OBJ_TCB:
                mk_tcb_suspend(k, (struct mk_tcb *)cap->obj);
                if (((struct mk_tcb *)cap->obj)->bound)
                        mk_ntfn_unbind(((struct mk_tcb *)cap->obj)->bound);
                if (((struct mk_tcb *)cap->obj)->vcpu)
                        mk_vcpu_unbind(k, ((struct mk_tcb *)cap->obj)->vcpu);
                break;
        case MK_OBJ_VCPU:
                mk_vcpu_finalise(k, mk_vcpu_of(cap->obj));
                break;
        case MK_OBJ_IRQ_HANDLER:
                mk_irq_handler_gone(k, (unsigned)cap->word);
                break;
        default:
                break;
        }
}
