/* kernel/core/fault.c: a user thread's exception. As in seL4, the fault
 * becomes a call on the thread's fault endpoint, so the handler's reply
 * resumes it (the arch layer restores its saved context whole and the
 * instruction runs again); a thread without one is suspended. */
#include "kernel.h"

/* Send t's fault as a call through its fault endpoint cap. Returns MK_OK
 * when t now waits (to send, or for the reply). */
static int send_fault(struct mk_kernel *k, struct mk_tcb *t, unsigned vector,
                      uint64_t code, uint64_t addr)
{
        struct mk_cte *ep = &t->slots[MK_TCB_FAULT_EP];

        if (ep->cap.type != MK_OBJ_ENDPOINT)
                return MK_E_INVALID_CAP;
        t->regs.info = mk_info(MK_FAULT_LABEL, 0, 4);
        t->regs.mr[0] = mk_ctx_pc(&t->ctx);
        t->regs.mr[1] = addr;
        t->regs.mr[2] = code;
        t->regs.mr[3] = vector;
        if (mk_ep_send(k, t, ep, true, true) != MK_OK)
                return MK_E_ABORTED;
        return t->state == MK_TS_RUNNING ? MK_E_ABORTED : MK_OK;
}

struct mk_regs *mk_fault(struct mk_kernel *k, unsigned vector, uint64_t code,
                         uint64_t addr)
{
        struct mk_tcb *t = k->cur;

        mk_stretch_begin(k);
        if (t) {
                t->ctx.entry = MK_ENTRY_TRAP;
                if (send_fault(k, t, vector, code, addr) != MK_OK)
                        mk_tcb_suspend(k, t);
                mk_schedule(k);
                mk_timer_arm(k);
        }
        mk_stretch_end(k);
        return mk_cur_regs(k);
}
