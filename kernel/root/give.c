/* kernel/root/give.c: handing a capability to the service CSpace of the
 * second address space. The CNode methods copy only inside the CNode they
 * are invoked on, and the root CNode's guard uses all 64 bits, so a copy
 * from the root CNode into another one has to travel as a message: a
 * mover thread (in the root's own space and CSpace) waits on an endpoint
 * with its receive slot set to the landing slot of the service CNode; the
 * root calls it with the cap attached (the kernel derives a copy into that
 * slot), and then moves it to its place inside the service CNode. */
#include "root.h"

#define RW (MK_RIGHT_READ | MK_RIGHT_WRITE)

static uint64_t mover_ep, mover_reply;

/* The mover: answer each message with the number of caps it carried. */
static __attribute__((noreturn)) void mover_main(void)
{
        struct mk_regs r = { .nr = MK_SYS_RECV, .cptr = mover_ep, .reply = mover_reply };

        for (;;) {
                mku_syscall(&r);
                r.mr[0] = r.nr == MK_OK ? mk_info_caps(r.info) : 0;
                r.info = mk_info(0, 0, 1);
                r.nr = MK_SYS_REPLY_RECV;
                r.cptr = mover_ep;
                r.reply = mover_reply;
        }
}

void rt_give_init(struct rt_space *s)
{
        uint64_t tcb = rt_new(MK_OBJ_TCB, 0), stack = rt_new(MK_OBJ_FRAME, 12);
        uint64_t buf = rt_new(MK_OBJ_FRAME, 12), vs = rt.info->vspace;
        struct mk_ipcbuf *b = (struct mk_ipcbuf *)RT_MOVER_IPCBUF_VADDR;

        mover_ep = rt_new(MK_OBJ_ENDPOINT, 0);
        mover_reply = rt_new(MK_OBJ_REPLY, 0);
        rt_must(rt_map(vs, stack, RT_MOVER_STACK_VADDR, RW, MK_MAP_EXECUTE_NEVER),
                "map mover stack");
        rt_must(rt_map(vs, buf, RT_MOVER_IPCBUF_VADDR, RW, MK_MAP_EXECUTE_NEVER),
             "map mover IPC buffer");
        b->recv_cnode = s->svc_cnode;
        b->recv_index = CHILD_SLOT_LANDING;
        rt_must(mku_tcb_configure(tcb, rt.info->cnode, vs, 0), "mover configure");
        rt_must(mku_tcb_set_ipc_buffer(tcb, RT_MOVER_IPCBUF_VADDR, buf), "mover ipc buffer");
        rt_must(mku_tcb_set_priority(tcb, 255), "mover priority");
        /* rsp as after a call: the function sees the usual alignment */
        rt_must(mku_tcb_write_registers(tcb, (uint64_t)(uintptr_t)mover_main,
                                     RT_MOVER_STACK_VADDR + 4096 - 8, 0, 1), "mover start");
}

/* The mover's receive slot is read when a message arrives, so setting
 * it in its IPC buffer (mapped in the root's space) before each call
 * picks the CNode and slot the copy lands in. */
void rt_give_to(uint64_t cnode, uint64_t index, uint64_t src)
{
        struct mk_ipcbuf *b = (struct mk_ipcbuf *)RT_MOVER_IPCBUF_VADDR;
        struct mku_msg m = { .info = mk_info(0, 1, 0) };
        int r;

        b->recv_cnode = cnode;
        b->recv_index = index;
        mku_ipcbuf->caps[0] = src;
        r = mku_call(mover_ep, &m);
        if (r != MK_OK)
                rt_fail("cap transfer call", r);
        if (m.mr[0] != 1)
                rt_fail("cap transfer: the cap did not arrive", MK_E_INVALID_CAP);
}

void rt_give(struct rt_space *s, uint64_t slot, uint64_t src)
{
        rt_give_to(s->svc_cnode, CHILD_SLOT_LANDING, src);
        rt_must(mku_cnode_move(s->svc_cnode, slot, CHILD_CNODE_RADIX, CHILD_SLOT_LANDING,
                            CHILD_CNODE_RADIX), "cnode move into place");
}
