/* tests/kernel/tcb.c: the TCB methods the booted kernel needs: a fresh
 * user context (TCB_WRITE_REGISTERS), the IPC buffer in a user frame
 * (TCB_SET_IPC_BUFFER, and the exact reset when that frame cap goes), the
 * fault endpoint of TCB_CONFIGURE, and arguments beyond the message length
 * reading as 0. */
#include "kt.h"

static uint64_t copy(uint64_t dst, uint64_t src, uint64_t rights)
{
        return kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, (uint64_t)64, src, (uint64_t)64, rights);
}

static uint64_t del(uint64_t slot)
{
        return kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, slot, (uint64_t)64);
}

/* A 2 MiB frame from a 2 MiB untyped other than the one kt_new uses. */
static uint64_t large_frame(void)
{
        for (uint64_t i = 0; i < kt_bi.untyped_count; i++) {
                uint64_t u = kt_bi.untyped_first + i;

                if (u != kt_ut && kt_slot(u)->cap.bits == 21 &&
                    kt_inv(u, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)21,
                           (uint64_t)KT_CNODE, kt_next, (uint64_t)1) == MK_OK)
                        return kt_next++;
        }
        return 0;
}

static void write_registers(void)
{
        uint64_t t = kt_thread(50);
        struct mk_tcb *T = kt_tcb(t);

        ok(t != 0, "thread made");
        is_int(kt_inv(t, MK_TCB_WRITE_REGISTERS, 4, (uint64_t)MK_USER_TOP, (uint64_t)0x2000,
                      (uint64_t)7, (uint64_t)1), MK_E_RANGE, "rip in the kernel half refused");
        ok(T->state == MK_TS_INACTIVE && T->ctx.rip == 0, "nothing changed");
        T->ctx.entry = MK_ENTRY_SYSCALL;
        is_int(kt_inv(t, MK_TCB_WRITE_REGISTERS, 4, (uint64_t)0x401000, (uint64_t)0x7000,
                      (uint64_t)42, (uint64_t)0), MK_OK, "write registers");
        ok(T->ctx.rip == 0x401000 && T->ctx.rsp == 0x7000 && T->ctx.rdi == 42, "rip, rsp, rdi set");
        ok(T->ctx.rflags == 0x202 && T->ctx.entry == MK_ENTRY_TRAP, "rflags 0x202, entry TRAP");
        is_int(T->state, MK_TS_INACTIVE, "without mr3 bit 0 the thread stays inactive");
        is_int(T->ctx.fs_base, 0, "no mr4: no TLS base");
        is_int(kt_inv(t, MK_TCB_WRITE_REGISTERS, 5, (uint64_t)0x401000, (uint64_t)0x7000,
                      (uint64_t)42, (uint64_t)0, (uint64_t)MK_USER_TOP), MK_E_RANGE,
               "a TLS base in the kernel half refused");
        is_int(kt_inv(t, MK_TCB_WRITE_REGISTERS, 5, (uint64_t)0x401000, (uint64_t)0x7000,
                      (uint64_t)42, (uint64_t)0, ~(uint64_t)0), MK_E_RANGE,
               "a non-canonical one too");
        is_int(T->ctx.fs_base, 0, "nothing changed");
        is_int(kt_inv(t, MK_TCB_WRITE_REGISTERS, 5, (uint64_t)0x401000, (uint64_t)0x7000,
                      (uint64_t)42, (uint64_t)0, (uint64_t)0x7fffffffeff0), MK_OK,
               "a TLS base");
        is_int(T->ctx.fs_base, 0x7fffffffeff0, "kept as the thread's FS base");
        is_int(kt_inv(t, MK_TCB_WRITE_REGISTERS, 4, (uint64_t)0x402000, (uint64_t)0x8000,
                      (uint64_t)1, (uint64_t)1), MK_OK, "write registers and resume");
        is_int(T->state, MK_TS_READY, "resumed (ready below the root)");
        kt_inv(t, MK_TCB_SUSPEND, 0);
}

static void ipc_buffer(void)
{
        uint64_t t = kt_thread(50), fr = kt_new(MK_OBJ_FRAME, 12, 1), big = large_frame();
        uint64_t ro = kt_next++, cp = kt_next++, ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        struct mk_tcb *T = kt_tcb(t), *root = kt_root();
        struct mk_ipcbuf *want = (struct mk_ipcbuf *)(kt_slot(fr)->cap.obj + 0x100);
        uint64_t m[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

        ok(t && fr && big && ep, "objects made");
        ok(T->ipcbuf == &T->buf, "a new TCB uses its own buffer");
        copy(ro, fr, MK_RIGHT_READ);
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10100, ep), MK_E_WRONG_TYPE, "not a frame");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10100, big), MK_E_WRONG_TYPE,
               "not a 4 KiB frame");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10100, ro), MK_E_RIGHTS, "read-only frame");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10104, fr), MK_E_ALIGNMENT, "misaligned");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10ff8, fr), MK_E_RANGE,
               "buffer crossing the frame's end");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10100, (uint64_t)999), MK_E_INVALID_CAP,
               "empty slot");
        ok(T->ipcbuf == &T->buf && T->slots[MK_TCB_IPCBUF].cap.type == MK_OBJ_NULL, "no change on errors");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x10100, fr), MK_OK, "set the IPC buffer");
        ok(T->ipcbuf == want, "t->ipcbuf is the frame's kernel address + offset");
        ok(T->slots[MK_TCB_IPCBUF].cap.type == MK_OBJ_FRAME &&
           T->slots[MK_TCB_IPCBUF].cap.obj == kt_slot(fr)->cap.obj, "the TCB holds a copy of the frame cap");

        /* message registers beyond 4 travel through the user frame */
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x20000, fr);
        ok(root->ipcbuf == (struct mk_ipcbuf *)kt_slot(fr)->cap.obj, "root's buffer at frame offset 0");
        mk_set_mr(root, 5, 77);
        is_int(((uint64_t *)kt_slot(fr)->cap.obj)[5], 77, "mk_set_mr writes the frame");
        is_int(mk_get_mr(root, 5), 77, "mk_get_mr reads it");
        ok(kt_sys(root, MK_SYS_NBSEND, ep, 0, mk_info(1, 0, 8), m) == MK_E_WOULD_BLOCK, "nbsend, no receiver");
        is_int(((uint64_t *)kt_slot(fr)->cap.obj)[7], 8, "MRs 4..7 of the message are in the frame");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0, (uint64_t)0), MK_OK,
               "root back to no buffer");
        ok(root->ipcbuf == &root->buf, "root uses its own buffer");

        /* the copy goes when its frame's caps are revoked */
        copy(cp, fr, MK_RIGHTS_ALL);
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x30000, cp), MK_OK, "buffer from a copy");
        ok(T->ipcbuf == (struct mk_ipcbuf *)kt_slot(fr)->cap.obj, "offset 0");
        is_int(del(cp), MK_OK, "delete the copy it came from");
        ok(T->ipcbuf != &T->buf, "the TCB's own copy keeps the buffer");
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, fr, (uint64_t)64), MK_OK, "revoke the frame cap");
        ok(T->ipcbuf == &T->buf && T->slots[MK_TCB_IPCBUF].cap.type == MK_OBJ_NULL,
           "revoke deleted the TCB's copy and reset its buffer");

        /* replaced, and deleted with the TCB */
        kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0x30000, fr);
        is_int(del(fr), MK_OK, "delete the last CNode cap of the frame");
        ok(T->ipcbuf != &T->buf, "the TCB's copy keeps the frame alive");
        is_int(kt_inv(t, MK_TCB_SET_IPC_BUFFER, 2, (uint64_t)0, (uint64_t)0), MK_OK,
               "unset: the last cap goes");
        ok(T->ipcbuf == &T->buf && T->slots[MK_TCB_IPCBUF].cap.type == MK_OBJ_NULL, "reset");
        is_int(del(t), MK_OK, "delete the TCB");
}

static void fault_endpoint(void)
{
        uint64_t t = kt_thread(50), ep = kt_new(MK_OBJ_ENDPOINT, 0, 1), wo = kt_next++;
        uint64_t ntfn = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        struct mk_tcb *T = kt_tcb(t);

        copy(wo, ep, MK_RIGHT_WRITE);
        is_int(kt_inv(t, MK_TCB_CONFIGURE, 3, (uint64_t)KT_CNODE, (uint64_t)0, ntfn), MK_E_WRONG_TYPE,
               "fault endpoint must be an endpoint");
        is_int(kt_inv(t, MK_TCB_CONFIGURE, 3, (uint64_t)KT_CNODE, (uint64_t)0, wo), MK_E_RIGHTS,
               "fault endpoint cap must allow a call");
        is_int(kt_inv(t, MK_TCB_CONFIGURE, 3, (uint64_t)KT_CNODE, (uint64_t)0, ep), MK_OK,
               "configure with a fault endpoint");
        ok(T->slots[MK_TCB_FAULT_EP].cap.type == MK_OBJ_ENDPOINT &&
           T->slots[MK_TCB_FAULT_EP].cap.obj == kt_slot(ep)->cap.obj, "copied into the TCB");
        is_int(kt_inv(t, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, (uint64_t)0), MK_OK,
               "configure with two arguments: mr2 reads 0");
        is_int(T->slots[MK_TCB_FAULT_EP].cap.type, MK_OBJ_NULL, "fault endpoint removed");
        is_int(kt_root()->regs.info, mk_info(0, 0, 0), "a method's reply carries no words");
}

/* mk_fault: a call on the fault endpoint, resumed by the reply; without a
 * fault endpoint the thread is suspended. */
static void faults(int fast)
{
        uint64_t ep = kt_new(MK_OBJ_ENDPOINT, 0, 1), badged = kt_next++, reply = kt_new(MK_OBJ_REPLY, 0, 1);
        uint8_t top = kt_root()->prio;
        uint64_t h = kt_thread(top - 10), f = kt_thread(top - 20), g = kt_thread(top - 20);
        struct mk_tcb *H = kt_tcb(h), *F = kt_tcb(f), *G = kt_tcb(g), *root = kt_root();
        struct mk_regs *r;

        kt_k.fastpath = (uint64_t)fast;
        kt_inv(KT_CNODE, MK_CNODE_MINT, 6, badged, (uint64_t)64, ep, (uint64_t)64,
               (uint64_t)MK_RIGHTS_ALL, (uint64_t)0xbad9e);
        is_int(kt_inv(f, MK_TCB_CONFIGURE, 3, (uint64_t)KT_CNODE, (uint64_t)0, badged), MK_OK,
               "faulting thread gets a badged fault endpoint");
        kt_inv(f, MK_TCB_WRITE_REGISTERS, 4, (uint64_t)0x401234, (uint64_t)0x8000, (uint64_t)0, (uint64_t)1);
        kt_inv(g, MK_TCB_WRITE_REGISTERS, 4, (uint64_t)0x405678, (uint64_t)0x9000, (uint64_t)0, (uint64_t)1);
        kt_inv(h, MK_TCB_RESUME, 0);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)top - 25);
        ok(kt_k.cur == H, "handler runs");
        kt_sys(H, MK_SYS_RECV, ep, reply, 0, NULL);
        ok(kt_k.cur == F, "faulting thread runs");
        F->ctx.entry = MK_ENTRY_SYSCALL;
        r = mk_fault(&kt_k, 14, 6, 0xdead000);
        ok(r == &H->regs && kt_k.cur == H, "the fault handler runs next");
        is_int(F->state, MK_TS_BLOCKED_REPLY, "the faulting thread waits for the reply");
        is_int(F->ctx.entry, MK_ENTRY_TRAP, "and will be resumed from its saved context");
        is_int(H->regs.info, mk_info(MK_FAULT_LABEL, 0, 4), "fault label, four words");
        ok(H->regs.mr[0] == 0x401234 && H->regs.mr[1] == 0xdead000 && H->regs.mr[2] == 6 &&
           H->regs.mr[3] == 14, "rip, address, error code, vector");
        is_int(H->regs.cptr, 0xbad9e, "badge of the fault endpoint cap");
        kt_sys(H, MK_SYS_REPLY_RECV, ep, reply, mk_info(0, 0, 0), NULL);
        ok(F->state == MK_TS_READY && kt_k.cur == G, "the reply makes it ready (after G, first in line)");
        is_int(F->ctx.entry, MK_ENTRY_TRAP, "entry still TRAP: the arch layer restores ctx");
        r = mk_fault(&kt_k, 6, 0, 0);
        is_int(G->state, MK_TS_INACTIVE, "no fault endpoint: suspended");
        ok(r == &F->regs && kt_k.cur == F, "the resumed thread runs");

        /* a second fault while no handler waits: the call waits */
        kt_inv(h, MK_TCB_SUSPEND, 0);
        r = mk_fault(&kt_k, 13, 0, 0);
        is_int(F->state, MK_TS_BLOCKED_SEND, "no handler waiting: the fault waits in the queue");
        ok(r == &root->regs && kt_k.cur == root, "the root runs");
        kt_inv(f, MK_TCB_SUSPEND, 0);
        is_int(F->state, MK_TS_INACTIVE, "suspend the queued faulting thread");
        kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, kt_ut, (uint64_t)64);
        kt_k.fastpath = 1;
}

int main(void)
{
        kt_boot();
        ok(kt_root()->ipcbuf == &kt_root()->buf, "the root thread uses its own buffer");
        write_registers();
        ipc_buffer();
        fault_endpoint();
        kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, kt_ut, (uint64_t)64);
        faults(0);
        faults(1);
        ok(mk_fault(&kt_k, 0, 0, 0) == NULL && kt_root()->state == MK_TS_INACTIVE,
           "the root faults without a fault endpoint: suspended, nothing left to run");
        ok(mk_fault(&kt_k, 0, 0, 0) == NULL, "a fault while idle changes nothing");
        return tap_done();
}
