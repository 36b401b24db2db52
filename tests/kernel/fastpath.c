/* tests/kernel/fastpath.c: the fast path must be invisible. One scripted
 * scenario (a server, two clients at its priority, messages of 0..5 words,
 * yields; in the second half one client sleeps on a notification, so the
 * other and the server ping-pong alone) runs twice, with the fast path on and off; after every syscall
 * the registers and states of all threads and the running thread must be
 * the same in both runs. */
#include "kt.h"

#define STEPS 400
#define NT 4

struct snap {
        struct mk_regs regs[NT];
        uint8_t state[NT];
        int cur;
};

static struct snap trace[2][STEPS];

static int index_of(struct mk_tcb **t, struct mk_tcb *x)
{
        for (int i = 0; i < NT; i++)
                if (t[i] == x)
                        return i;
        return -1;
}

static void run(int fast, struct snap *out, uint64_t *ret_hits)
{
        struct mk_tcb *t[NT];
        uint64_t ep, reply, ntfn, s, c1, c2, m[6];

        kt_boot();
        ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        reply = kt_new(MK_OBJ_REPLY, 0, 1);
        ntfn = kt_new(MK_OBJ_NOTIFICATION, 0, 1);
        s = kt_thread(100);
        c1 = kt_thread(100);
        c2 = kt_thread(100);
        t[0] = kt_root();
        t[1] = kt_tcb(s);
        t[2] = kt_tcb(c1);
        t[3] = kt_tcb(c2);
        kt_inv(s, MK_TCB_RESUME, 0);
        kt_inv(c1, MK_TCB_RESUME, 0);
        kt_inv(c2, MK_TCB_RESUME, 0);
        kt_k.fastpath = (uint64_t)fast;
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)0);

        for (unsigned i = 0; i < STEPS; i++) {
                struct mk_tcb *cur = kt_k.cur;
                unsigned len = i % 6;

                for (unsigned j = 0; j < 6; j++)
                        m[j] = i * 10 + j;
                if (cur == t[1] && i < 2)
                        kt_sys(cur, MK_SYS_RECV, ep, reply, 0, NULL);
                else if (cur == t[1])
                        kt_sys(cur, MK_SYS_REPLY_RECV, ep, reply, mk_info(i, 0, len), m);
                else if (cur == t[3] && i >= STEPS / 2)
                        kt_sys(cur, MK_SYS_RECV, ntfn, 0, 0, NULL);
                else if ((cur == t[2] || cur == t[3]) && i % 7 == 3)
                        kt_sys(cur, MK_SYS_YIELD, 0, 0, 0, NULL);
                else if (cur == t[2] || cur == t[3])
                        kt_sys(cur, MK_SYS_CALL, ep, 0, mk_info(i + 1, 0, len), m);
                else if (cur)
                        kt_sys(cur, MK_SYS_YIELD, 0, 0, 0, NULL);
                for (int j = 0; j < NT; j++) {
                        out[i].regs[j] = t[j]->regs;
                        out[i].state[j] = t[j]->state;
                }
                out[i].cur = index_of(t, kt_k.cur);
        }
        *ret_hits = kt_k.fastpath_hits;
}

int main(void)
{
        uint64_t hits_fast, hits_slow;
        unsigned diff = STEPS;

        run(1, trace[1], &hits_fast);
        run(0, trace[0], &hits_slow);
        ok(hits_fast > 50, "fast path taken (%llu times)", (unsigned long long)hits_fast);
        is_int(hits_slow, 0, "fast path off in the reference run");
        for (unsigned i = 0; i < STEPS; i++)
                if (memcmp(&trace[0][i], &trace[1][i], sizeof(trace[0][i])) != 0) {
                        diff = i;
                        break;
                }
        is_int(diff, STEPS, "fast and slow path agree at every step (first difference)");
        ok(trace[1][STEPS - 1].cur > 0, "a user thread still runs at the end");
        ok(trace[1][STEPS - 1].regs[2].nr == MK_OK || trace[1][STEPS - 1].regs[2].nr == MK_SYS_CALL,
           "client 1 is mid-call or got its reply");
        return tap_done();
}
