/* tests/kernel/endpoint.c: synchronous IPC through the syscall entry:
 * send/recv in both orders, badges, FIFO order of senders, call and reply,
 * the non-blocking variants, rights, and capability transfer with and
 * without the grant right. */
#include "kt.h"

static uint64_t mint(uint64_t src, uint64_t dst, uint64_t rights, uint64_t badge)
{
        return kt_inv(KT_CNODE, MK_CNODE_MINT, 6, dst, (uint64_t)64, src, (uint64_t)64,
                      rights, badge);
}

int main(void)
{
        struct mk_tcb *root, *S, *A, *B, *C;
        uint64_t ep, reply, ntfn, s, a, b, c, epb, epr, epw, epng, got, got2;
        uint64_t m[4] = { 11, 22, 33, 44 };

        kt_boot();
        root = kt_root();
        ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        reply = kt_new(MK_OBJ_REPLY, 0, 1);
        ntfn = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        s = kt_thread(100);
        a = kt_thread(50);
        b = kt_thread(50);
        c = kt_thread(50);
        S = kt_tcb(s); A = kt_tcb(a); B = kt_tcb(b); C = kt_tcb(c);
        epb = kt_next++; epr = kt_next++; epw = kt_next++; epng = kt_next++;
        is_int(mint(ep, epb, MK_RIGHTS_ALL, 0x55), MK_OK, "mint a badged endpoint cap");
        is_int(mint(ep, epr, MK_RIGHT_READ, 0), MK_OK, "mint a receive-only cap");
        is_int(mint(ep, epw, MK_RIGHT_WRITE, 0), MK_OK, "mint a send-only cap without grant");
        is_int(mint(ep, epng, MK_RIGHT_READ | MK_RIGHT_WRITE | MK_RIGHT_GRANT_REPLY, 0), MK_OK,
               "mint a cap without grant");
        is_int(kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)0), MK_OK, "root drops to 0");

        /* receiver first */
        is_int(kt_inv(s, MK_TCB_RESUME, 0), MK_OK, "resume the server");
        ok(kt_k.cur == S, "server preempts the root");
        is_int(kt_sys(S, MK_SYS_NBRECV, ep, 0, 0, NULL), MK_E_WOULD_BLOCK, "nbrecv with no sender");
        kt_sys(S, MK_SYS_RECV, ep, 0, 0, NULL);
        is_int(S->state, MK_TS_BLOCKED_RECV, "server blocked in recv");
        ok(kt_k.cur == root, "root runs again");
        is_int(kt_sys(root, MK_SYS_SEND, epb, 0, mk_info(9, 0, 2), m), MK_OK, "send to waiting receiver");
        ok(kt_k.cur == S, "receiver runs");
        is_int(S->regs.cptr, 0x55, "badge delivered");
        is_int(S->regs.mr[0] * 100 + S->regs.mr[1], 1122, "message registers delivered");
        is_int(mk_info_label(S->regs.info), 9, "label delivered");
        is_int(mk_info_len(S->regs.info), 2, "length delivered");

        /* senders first: FIFO */
        kt_inv(a, MK_TCB_RESUME, 0);
        kt_inv(b, MK_TCB_RESUME, 0);
        kt_inv(c, MK_TCB_RESUME, 0);
        kt_sys(S, MK_SYS_RECV, ntfn, 0, 0, NULL);
        ok(kt_k.cur == A, "first sender runs");
        m[0] = 1; kt_sys(A, MK_SYS_SEND, ep, 0, mk_info(0, 0, 1), m);
        m[0] = 2; kt_sys(B, MK_SYS_SEND, ep, 0, mk_info(0, 0, 1), m);
        m[0] = 3; kt_sys(C, MK_SYS_SEND, epb, 0, mk_info(0, 0, 1), m);
        ok(A->state == MK_TS_BLOCKED_SEND && C->state == MK_TS_BLOCKED_SEND, "senders blocked");
        ok(kt_k.cur == root, "root runs");
        kt_sys(root, MK_SYS_SEND, ntfn, 0, 0, NULL);
        ok(kt_k.cur == S, "server woken by the notification");
        got = 0;
        for (int i = 0; i < 3; i++) {
                kt_sys(S, MK_SYS_RECV, ep, 0, 0, NULL);
                got = got * 10 + S->regs.mr[0];
        }
        is_int(got, 123, "senders served in FIFO order");
        is_int(S->regs.cptr, 0x55, "badge of the third sender's cap");
        ok(A->state == MK_TS_READY && A->regs.nr == MK_OK, "sender woken with success");

        /* call and reply */
        kt_sys(S, MK_SYS_RECV, ep, reply, 0, NULL);
        ok(kt_k.cur == A, "caller runs");
        m[0] = 5;
        kt_sys(A, MK_SYS_CALL, ep, 0, mk_info(1, 0, 1), m);
        is_int(A->state, MK_TS_BLOCKED_REPLY, "caller waits for the reply");
        ok(kt_k.cur == S && S->regs.mr[0] == 5, "server got the call");
        m[0] = 6;
        is_int(kt_sys(S, MK_SYS_REPLY, reply, 0, mk_info(2, 0, 1), m), MK_OK, "reply");
        ok(A->state == MK_TS_READY && A->regs.mr[0] == 6 && A->regs.nr == MK_OK, "caller got the reply");
        is_int(kt_sys(S, MK_SYS_REPLY, reply, 0, 0, NULL), MK_OK, "second reply is a no-op");
        is_int(kt_sys(S, MK_SYS_REPLY, ep, 0, 0, NULL), MK_E_WRONG_TYPE, "reply through an endpoint cap");
        is_int(kt_sys(S, MK_SYS_REPLY_RECV, ep, 0, 0, NULL), MK_E_INVALID_CAP, "reply_recv needs a reply cap");
        kt_sys(S, MK_SYS_RECV, ntfn, 0, 0, NULL);

        /* non-blocking send and rights */
        ok(kt_k.cur == B, "next ready sender runs");
        is_int(kt_sys(B, MK_SYS_NBSEND, ep, 0, 0, NULL), MK_E_WOULD_BLOCK, "nbsend with no receiver");
        is_int(kt_sys(B, MK_SYS_SEND, epr, 0, 0, NULL), MK_E_RIGHTS, "send needs write");
        is_int(kt_sys(B, MK_SYS_RECV, epw, 0, 0, NULL), MK_E_RIGHTS, "recv needs read");
        is_int(kt_sys(B, MK_SYS_CALL, epw, 0, 0, NULL), MK_E_RIGHTS, "call needs grant or grant-reply");
        is_int(kt_sys(B, MK_SYS_RECV, ep, ntfn, 0, NULL), MK_E_WRONG_TYPE, "recv reply arg must be a reply cap");

        /* capability transfer: B sends the notification cap to C */
        B->ipcbuf->caps[0] = ntfn;
        kt_sys(B, MK_SYS_SEND, ep, 0, mk_info(0, 1, 0), NULL);
        ok(kt_k.cur == C, "receiver runs");
        got = kt_next++;
        C->ipcbuf->recv_cnode = KT_CNODE;
        C->ipcbuf->recv_index = got;
        kt_sys(C, MK_SYS_RECV, ep, 0, 0, NULL);
        is_int(mk_info_caps(C->regs.info), 1, "one cap arrived");
        ok(kt_slot(got)->cap.type == MK_OBJ_NOTIFICATION && kt_slot(got)->cap.obj == kt_slot(ntfn)->cap.obj,
           "the notification cap is in the receive slot");
        ok(kt_slot(ntfn)->next == kt_slot(got) && kt_descends(kt_slot(ntfn), kt_slot(got)) &&
           !kt_slot(got)->revocable, "transferred cap is a child of the sent (original) one");

        /* without grant the cap stays behind; the message arrives */
        kt_sys(C, MK_SYS_RECV, ep, 0, 0, NULL);
        ok(kt_k.cur == A, "the longest-ready thread runs");
        got2 = kt_next++;
        C->ipcbuf->recv_index = got2;
        m[0] = 77;
        A->ipcbuf->caps[0] = ntfn;
        kt_sys(A, MK_SYS_SEND, epng, 0, mk_info(0, 1, 1), m);
        ok(C->regs.mr[0] == 77 && mk_info_caps(C->regs.info) == 0, "message without cap");
        is_int(kt_slot(got2)->cap.type, MK_OBJ_NULL, "receive slot still empty");

        /* suspending a blocked thread ends its operation */
        ok(kt_k.cur == A, "sender still runs");
        kt_sys(A, MK_SYS_RECV, ep, 0, 0, NULL);
        ok(kt_k.cur && kt_k.cur != A, "another thread runs");
        is_int(kt_inv(a, MK_TCB_SUSPEND, 0), MK_OK, "suspend the waiting receiver");
        ok(A->state == MK_TS_INACTIVE && A->regs.nr == MK_E_ABORTED, "its receive ended with MK_E_ABORTED");
        ok(((struct mk_endpoint *)kt_slot(ep)->cap.obj)->state == MK_EP_IDLE, "and left the endpoint queue");
        return tap_done();
}
