/* tests/kernel/notification.c: signal, wait and poll, badges OR-ed into
 * the word, FIFO waiters, rights, and a notification bound to a thread
 * that is waiting on an endpoint. */
#include "kt.h"

static uint64_t mint(uint64_t src, uint64_t dst, uint64_t rights, uint64_t badge)
{
        return kt_inv(KT_CNODE, MK_CNODE_MINT, 6, dst, (uint64_t)64, src, (uint64_t)64,
                      rights, badge);
}

int main(void)
{
        struct mk_tcb *root, *W1, *W2;
        uint64_t n, n1, n2, n4, nr, nw, ep, w1, w2;

        kt_boot();
        root = kt_root();
        n = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        n1 = kt_next++; n2 = kt_next++; n4 = kt_next++; nr = kt_next++; nw = kt_next++;
        mint(n, n1, MK_RIGHTS_ALL, 1);
        mint(n, n2, MK_RIGHTS_ALL, 2);
        mint(n, n4, MK_RIGHTS_ALL, 4);
        mint(n, nr, MK_RIGHT_READ, 0);
        mint(n, nw, MK_RIGHT_WRITE, 0);
        w1 = kt_thread(100);
        w2 = kt_thread(100);
        W1 = kt_tcb(w1);
        W2 = kt_tcb(w2);

        /* poll and OR */
        is_int(kt_sys(root, MK_SYS_NBRECV, n, 0, 0, NULL), MK_OK, "poll an empty notification");
        is_int(root->regs.cptr, 0, "poll gives badge 0");
        kt_sys(root, MK_SYS_SEND, n1, 0, 0, NULL);
        kt_sys(root, MK_SYS_NBSEND, n4, 0, 0, NULL);
        kt_sys(root, MK_SYS_NBRECV, n, 0, 0, NULL);
        is_int(root->regs.cptr, 5, "badges 1 and 4 OR-ed");
        kt_sys(root, MK_SYS_NBRECV, n, 0, 0, NULL);
        is_int(root->regs.cptr, 0, "the word was cleared");
        kt_sys(root, MK_SYS_SEND, n2, 0, 0, NULL);
        is_int(kt_sys(root, MK_SYS_RECV, n, 0, 0, NULL), MK_OK, "wait with a pending signal returns");
        is_int(root->regs.cptr, 2, "with its badge");
        is_int(kt_sys(root, MK_SYS_SEND, nr, 0, 0, NULL), MK_E_RIGHTS, "signal needs write");
        is_int(kt_sys(root, MK_SYS_RECV, nw, 0, 0, NULL), MK_E_RIGHTS, "wait needs read");

        /* FIFO waiters */
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)0);
        kt_inv(w1, MK_TCB_RESUME, 0);
        kt_sys(W1, MK_SYS_RECV, n, 0, 0, NULL);
        kt_inv(w2, MK_TCB_RESUME, 0);
        kt_sys(W2, MK_SYS_RECV, n, 0, 0, NULL);
        ok(W1->state == MK_TS_BLOCKED_NTFN && W2->state == MK_TS_BLOCKED_NTFN, "two waiters");
        kt_sys(root, MK_SYS_SEND, n4, 0, 0, NULL);
        ok(kt_k.cur == W1 && W1->regs.cptr == 4 && W1->regs.nr == MK_OK, "first waiter woken with badge 4");
        is_int(W2->state, MK_TS_BLOCKED_NTFN, "second still waits");

        /* binding */
        is_int(kt_inv(w1, MK_TCB_BIND_NOTIFICATION, 1, n), MK_E_DELETE_FIRST,
               "cannot bind while others wait on it");
        is_int(kt_inv(w1, MK_TCB_UNBIND_NOTIFICATION, 0), MK_E_ILLEGAL_OP, "nothing bound yet");
        kt_sys(W1, MK_SYS_SEND, n1, 0, 0, NULL);
        ok(W2->state == MK_TS_READY && W2->regs.cptr == 1, "second waiter woken by badge 1");
        is_int(kt_inv(w1, MK_TCB_BIND_NOTIFICATION, 1, ep), MK_E_WRONG_TYPE, "bind needs a notification");
        is_int(kt_inv(w1, MK_TCB_BIND_NOTIFICATION, 1, nw), MK_E_RIGHTS, "bind needs read");
        is_int(kt_inv(w1, MK_TCB_BIND_NOTIFICATION, 1, n), MK_OK, "bind");
        is_int(kt_inv(w2, MK_TCB_BIND_NOTIFICATION, 1, n), MK_E_DELETE_FIRST, "bound to one thread only");
        kt_sys(W1, MK_SYS_RECV, ep, 0, 0, NULL);
        is_int(W1->state, MK_TS_BLOCKED_RECV, "bound thread waits on the endpoint");
        ok(kt_k.cur == W2, "the other thread runs");
        is_int(kt_sys(W2, MK_SYS_RECV, n, 0, 0, NULL), MK_E_ILLEGAL_OP, "only the bound thread may wait");
        kt_sys(W2, MK_SYS_SEND, n2, 0, 0, NULL);
        ok(W1->state == MK_TS_READY && W1->regs.cptr == 2 && W1->regs.info == 0,
           "signal ends the bound thread's endpoint wait");
        ok(((struct mk_endpoint *)kt_slot(ep)->cap.obj)->q.head == NULL, "and leaves the endpoint queue");
        kt_sys(W2, MK_SYS_SEND, n4, 0, 0, NULL);
        kt_sys(W2, MK_SYS_RECV, ep, 0, 0, NULL);
        ok(kt_k.cur == W1, "bound thread runs");
        is_int(kt_sys(W1, MK_SYS_RECV, ep, 0, 0, NULL), MK_OK, "endpoint recv with a pending signal");
        is_int(W1->regs.cptr, 4, "returns the signal at once");
        is_int(kt_inv(w1, MK_TCB_UNBIND_NOTIFICATION, 0), MK_OK, "unbind");
        ok(W1->bound == NULL && ((struct mk_notification *)kt_slot(n)->cap.obj)->bound == NULL,
           "both sides unbound");
        return tap_done();
}
