/* kernel/root/ipc.c: IPC ping-pong with a server thread in the second
 * address space: call from here, reply_recv there. The round trip is timed
 * with mku_rdtsc around RT_IPC_ROUNDS calls; under QEMU -icount shift=0 the
 * figure is the instructions of one call + reply_recv, entry and exit
 * included. */
#include "root.h"

#define RT_IPC_ROUNDS 1000u
#define RT_IPC_WARMUP 16u

/* The calls in a loop with nothing but the syscall around them. */
static uint64_t call_loop(uint64_t ep, unsigned rounds)
{
        uint64_t t0 = mku_rdtsc();

        for (unsigned i = 0; i < rounds; i++)
                mku_call_bare(ep, mk_info(0, 0, 1), i);
        return mku_rdtsc() - t0;
}

void rt_check_ipc(struct rt_space *s)
{
        uint64_t ep = rt_new(MK_OBJ_ENDPOINT, 0), reply = rt_new(MK_OBJ_REPLY, 0), t;
        struct mku_msg m = { .info = mk_info(0, 0, 1), .mr = { 41 } };
        struct rt_thread server;
        int r;

        rt_give(s, CHILD_SLOT_EP, ep);
        rt_give(s, CHILD_SLOT_REPLY, reply);
        rt_thread_create(s, &server, s->svc_cspace, 255, 0);
        rt_thread_start(&server, child_server, 0);
        r = mku_call(ep, &m);
        if (r != MK_OK)
                rt_fail("ipc call", r);
        if (m.mr[0] != 42 || mk_info_len(m.info) != 1)
                rt_fail("ipc reply is not mr0 + 1", MK_E_INVALID_ARG);
        (void)call_loop(ep, RT_IPC_WARMUP);
        t = call_loop(ep, RT_IPC_ROUNDS);
        rt_say("ipc round trip %lu instructions", (unsigned long)(t / RT_IPC_ROUNDS));
}
