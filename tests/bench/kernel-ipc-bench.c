/* tests/bench/kernel-ipc-bench.c: N call/reply_recv round trips between a
 * client and a server thread through mk_syscall(), on the fast path or
 * with the fast path switched off (the slow path, the reference).
 * Measured with callgrind by kernel-ipc-bench.sh; prints a check line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

static unsigned char mem[1u << 20] __attribute__((aligned(1u << 20)));
static struct mk_kernel k;

static uint64_t sys(uint64_t nr, uint64_t cptr, uint64_t reply, uint64_t label,
                    unsigned n, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                    uint64_t a4)
{
        struct mk_tcb *t = k.cur;

        t->regs.nr = nr;
        t->regs.cptr = cptr;
        t->regs.reply = reply;
        t->regs.info = mk_info(label, 0, n);
        mk_set_mr(t, 0, a0);
        mk_set_mr(t, 1, a1);
        mk_set_mr(t, 2, a2);
        mk_set_mr(t, 3, a3);
        mk_set_mr(t, 4, a4);
        mk_syscall(&k);
        return t->regs.nr;
}

static int setup(uint64_t *ret_ep, uint64_t *ret_reply)
{
        struct mk_bootinfo bi;
        uint64_t ut, s = 0, c = 0, f, e = 0;

        if (mk_boot(&k, mem, sizeof(mem), 8, &bi) != 0)
                return -1;
        ut = bi.untyped_first;
        for (uint64_t i = 1; i < bi.untyped_count; i++)
                if (mk_cnode_slots(&k.boot_slots[0].cap)[bi.untyped_first + i].cap.bits >
                    mk_cnode_slots(&k.boot_slots[0].cap)[ut].cap.bits)
                        ut = bi.untyped_first + i;
        f = bi.empty_first;
        /* endpoint, reply, server TCB, client TCB */
        e |= sys(MK_SYS_CALL, ut, 0, MK_UNTYPED_RETYPE, 5, MK_OBJ_ENDPOINT, 0, bi.cnode_cptr, f, 1);
        e |= sys(MK_SYS_CALL, ut, 0, MK_UNTYPED_RETYPE, 5, MK_OBJ_REPLY, 0, bi.cnode_cptr, f + 1, 1);
        e |= sys(MK_SYS_CALL, ut, 0, MK_UNTYPED_RETYPE, 5, MK_OBJ_TCB, 0, bi.cnode_cptr, f + 2, 2);
        s = f + 2;
        c = f + 3;
        for (uint64_t t = s; t <= c; t++) {
                e |= sys(MK_SYS_CALL, t, 0, MK_TCB_CONFIGURE, 2, bi.cnode_cptr, 0, 0, 0, 0);
                e |= sys(MK_SYS_CALL, t, 0, MK_TCB_SET_PRIORITY, 1, 100, 0, 0, 0, 0);
        }
        e |= sys(MK_SYS_CALL, bi.tcb_cptr, 0, MK_TCB_SET_PRIORITY, 1, 0, 0, 0, 0, 0);
        e |= sys(MK_SYS_CALL, s, 0, MK_TCB_RESUME, 0, 0, 0, 0, 0, 0);
        /* now the server runs: it waits for the first call */
        sys(MK_SYS_RECV, f, f + 1, 0, 0, 0, 0, 0, 0, 0);
        /* back in the root thread: start the client */
        e |= sys(MK_SYS_CALL, c, 0, MK_TCB_RESUME, 0, 0, 0, 0, 0, 0);
        *ret_ep = f;
        *ret_reply = f + 1;
        return e ? -1 : 0;
}

int main(int argc, char **argv)
{
        uint64_t ep, reply, n, bad = 0;
        struct mk_tcb *client, *server;
        char *end;

        if (argc != 3 || (strcmp(argv[2], "fastpath") && strcmp(argv[2], "slowpath"))) {
                fprintf(stderr, "usage: kernel-ipc-bench N fastpath|slowpath\n");
                return 2;
        }
        n = strtoull(argv[1], &end, 10);
        if (*end || n == 0) {
                fprintf(stderr, "kernel-ipc-bench: invalid round count: %s\n", argv[1]);
                return 2;
        }
        if (setup(&ep, &reply) < 0) {
                fprintf(stderr, "kernel-ipc-bench: setup failed\n");
                return 1;
        }
        k.fastpath = strcmp(argv[2], "fastpath") == 0;
        client = k.cur;
        for (uint64_t i = 0; i < n; i++) {
                client->regs.nr = MK_SYS_CALL;
                client->regs.cptr = ep;
                client->regs.info = mk_info(1, 0, 1);
                client->regs.mr[0] = i;
                mk_syscall(&k);
                server = k.cur;
                server->regs.nr = MK_SYS_REPLY_RECV;
                server->regs.cptr = ep;
                server->regs.reply = reply;
                server->regs.info = mk_info(0, 0, 1);
                server->regs.mr[0]++;
                mk_syscall(&k);
                bad += k.cur != client || client->regs.nr != MK_OK || client->regs.mr[0] != i + 1;
        }
        printf("kernel-ipc-bench: %llu round trips, %s, fastpath hits %llu, errors %llu\n",
               (unsigned long long)n, argv[2], (unsigned long long)k.fastpath_hits,
               (unsigned long long)bad);
        return bad ? 1 : 0;
}
