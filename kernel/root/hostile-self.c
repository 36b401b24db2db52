/* kernel/root/hostile-self.c: a thread against itself and against the
 * console. It deletes its own TCB (also when that holds the last cap of
 * the PML4 it runs on), revokes its own VSpace and CSpace while it runs,
 * loses its IPC buffer while it waits in a call, passes IPC buffer
 * addresses out of bounds, and prints lines that look like the kernel's
 * and the root's. */
#include "hostile-test.h"

/* The child deletes the only cap to its own TCB while it runs. */
static void self_delete_tcb(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned del;
        int r;

        hs_env_start(&e);
        hs_sys(&e, 0, MK_SYS_YIELD, 0, 0, 0, NULL);
        del = HS_INV(&e, CS, MK_CNODE_DELETE, HS_C_TCB, D);
        hs_store(&e, HS_SCRIPT_VADDR + HS_PROBE, MARK | 7);
        e.sc->index = 0;
        r = hs_start(&e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0);
        if (r == MK_OK)
                r = mku_cnode_delete(rt.info->cnode, e.tcb, RT_DEPTH);
        if (r != MK_OK)
                hs_fail(&e, "start: kernel error %d", r);
        e.tcb = 0;
        hs_wait(&e, &end);
        if (!end.timeout || end.index != del)
                hs_fail(&e, "the thread went on after deleting itself (op %lu, vector %lu)",
                        (unsigned long)end.index, (unsigned long)end.vector);
        r = mku_cnode_copy(e.cnode, 30, HS_RADIX, HS_C_TCB, HS_RADIX, ALL);
        if (r != MK_E_INVALID_CAP)
                hs_fail(&e, "its TCB slot is not empty (copy said %d)", r);
        hs_probe(&e, HS_SCRIPT_VADDR, e.sc->count);
        hs_probe_common(&e);
        hs_case_end(&e, "self-delete-tcb");
        hs_env_finish(&e);
}

/* The same, when the TCB's VSpace slot holds the last cap to its PML4:
 * the root gives up its own caps to both and stops the probe thread, the
 * child deletes its PML4 cap (not the last) and then its TCB, so the
 * PML4 it runs on goes with the TCB, inside that one syscall. */
static void self_delete_tcb_vspace(void)
{
        uint64_t cn = rt.info->cnode;
        struct hs_env e;
        struct hs_end end;
        unsigned op[2], del;
        int r;

        hs_env_start(&e);
        op[0] = hs_sys(&e, 0, MK_SYS_YIELD, 0, 0, 0, NULL);
        op[1] = HS_INV(&e, CS, MK_CNODE_DELETE, PML4, D);
        del = HS_INV(&e, CS, MK_CNODE_DELETE, HS_C_TCB, D);
        hs_store(&e, HS_SCRIPT_VADDR + HS_PROBE, MARK | 11);
        e.sc->index = 0;
        r = hs_start(&e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0);
        if (r == MK_OK)
                r = mku_cnode_delete(cn, e.probe_tcb, RT_DEPTH);
        if (r == MK_OK)
                r = mku_cnode_delete(cn, e.pml4, RT_DEPTH);
        if (r == MK_OK)
                r = mku_cnode_delete(cn, e.tcb, RT_DEPTH);
        if (r != MK_OK)
                hs_fail(&e, "start: kernel error %d", r);
        e.tcb = 0;
        hs_wait(&e, &end);
        hs_expect(&e, op[0], OK);
        hs_expect(&e, op[1], OK);
        if (!end.timeout || end.index != del)
                hs_fail(&e, "the thread went on after deleting itself (op %lu, vector %lu)",
                        (unsigned long)end.index, (unsigned long)end.vector);
        for (uint64_t slot = HS_C_TCB; slot <= PML4; slot++)
                if ((r = mku_cnode_copy(e.cnode, 30, HS_RADIX, slot, HS_RADIX, ALL)) !=
                    MK_E_INVALID_CAP)
                        hs_fail(&e, "slot %lu is not empty (copy said %d)", (unsigned long)slot,
                                r);
        hs_case_end(&e, "self-delete-tcb-with-last-vspace-cap");
        e.probe_tcb = 0;
        hs_env_finish(&e);
}

/* The child configures its TCB's VSpace from its own PML4 cap and revokes
 * that cap while it runs: a copy has no children (the TCB's VSpace cap is
 * its sibling, a child of the root's original), so nothing goes and it
 * runs on; then it configures no VSpace at all: it runs on without an
 * address space and faults at once. */
static void self_revoke_vspace(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned op[3];

        hs_env_start(&e);
        op[0] = HS_INV(&e, HS_C_TCB, MK_TCB_CONFIGURE, CS, PML4, HS_C_FAULT_EP);
        op[1] = HS_INV(&e, CS, MK_CNODE_REVOKE, PML4, D);
        op[2] = HS_INV(&e, HS_C_TCB, MK_TCB_CONFIGURE, CS, 0, HS_C_FAULT_EP);
        hs_store(&e, HS_SCRIPT_VADDR + HS_PROBE, MARK | 8);
        hs_run_script(&e, &end);
        hs_expect(&e, op[0], OK);
        hs_expect(&e, op[1], OK);
        if (end.timeout || end.vector != HS_VEC_FETCH || end.addr != end.rip ||
            end.index != op[2] ||
            end.rip < (uint64_t)(uintptr_t)child_script ||
            end.rip > (uint64_t)(uintptr_t)child_script_end)
                hs_fail(&e, "expected a fetch fault after losing the VSpace: vector %lu rip 0x%lx "
                        "addr 0x%lx op %lu%s", (unsigned long)end.vector, (unsigned long)end.rip,
                        (unsigned long)end.addr, (unsigned long)end.index,
                        end.timeout ? " (no fault message)" : "");
        hs_probe(&e, HS_SCRIPT_VADDR, e.sc->count);
        hs_probe_common(&e);
        hs_case_end(&e, "self-revoke-vspace");
        hs_env_finish(&e);
}

/* The same with its CSpace cap: a copy (the root holds the original), so
 * the revoke takes nothing and every lookup goes on working; a thread
 * holding copies only cannot take caps from anyone by revoking them. */
static void self_revoke_cspace(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned op[5];

        hs_env_start(&e);
        op[0] = HS_INV(&e, HS_C_TCB, MK_TCB_CONFIGURE, CS, PML4, HS_C_FAULT_EP);
        op[1] = HS_INV(&e, CS, MK_CNODE_REVOKE, CS, D);
        op[2] = hs_inv(&e, HS_C_TCB, MK_TCB_RESUME, 0, NULL);
        op[3] = hs_sys(&e, 0, MK_SYS_NBRECV, HS_C_NTFN, 0, 0, NULL);
        op[4] = hs_sys(&e, 0, MK_SYS_YIELD, 0, 0, 0, NULL);
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        hs_expect(&e, op[0], OK);
        hs_expect(&e, op[1], OK);
        hs_expect(&e, op[2], OK);
        hs_expect(&e, op[3], OK);
        hs_expect(&e, op[4], OK);
        hs_probe_common(&e);
        hs_case_end(&e, "self-revoke-cspace");
        hs_env_finish(&e);
}

/* Run the script until its call arrives at the root (the child then
 * waits for the reply on reply): MK_OK with the message in m, or why not. */
static int run_to_call(struct hs_env *e, uint64_t reply, struct mku_msg *m)
{
        int r;

        e->sc->index = 0;
        r = hs_start(e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0);
        rt_watchdog_arm_ticks(1ull << 28);
        if (r == MK_OK)
                r = mku_recv(e->ep, reply, m);
        rt_watchdog_disarm();
        return r;
}

/* The IPC buffer of a thread waiting in a call is deleted; the reply (64
 * message registers) must not go into the freed frame, and the thread's
 * old buffer address must be unmapped. */
static void ipcbuf_midcall(void)
{
        const uint64_t mr[6] = { 1, 2, 3, 4, 0, 0 };
        struct mku_msg m = { 0 };
        uint64_t reply, cn = rt.info->cnode;
        struct hs_env e;
        struct hs_end end;
        unsigned call, load;
        int r;

        hs_env_start(&e);
        reply = hs_new(&e, MK_OBJ_REPLY, 0);
        e.sc->ipcbuf = 0;       /* the script must not touch the buffer itself */
        call = hs_sys(&e, 0, MK_SYS_CALL, HS_C_EP, mk_info(7, 0, 10), 0, mr);
        load = hs_load(&e, HS_IPCBUF_VADDR);
        r = run_to_call(&e, reply, &m);
        if (r != MK_OK || mk_info_label(m.info) != 7 || m.mr[3] != 4) {
                hs_fail(&e, "the call did not arrive (kernel error %d, label %lu)", r,
                        (unsigned long)mk_info_label(m.info));
        } else {
                rt_must(mku_cnode_revoke(cn, e.ipcbuf_frame, RT_DEPTH), "revoke IPC buffer");
                rt_must(mku_cnode_delete(cn, e.ipcbuf_frame, RT_DEPTH), "delete IPC buffer");
                for (unsigned i = MK_MSG_REG_MRS; i < MK_MSG_MAX; i++)
                        mku_ipcbuf->mr[i] = ONES;
                m = (struct mku_msg){ .info = mk_info(0, 0, MK_MSG_MAX),
                                      .mr = { ONES, ONES, ONES, ONES } };
                r = mku_reply(reply, &m);
                if (r != MK_OK)
                        hs_fail(&e, "reply: kernel error %d", r);
                hs_wait(&e, &end);
                hs_expect(&e, call, OK);
                if (e.sc->op[call].out_mr0 != ONES)
                        hs_fail(&e, "the reply's mr0 did not arrive");
                hs_expect_fault(&e, &end, load, HS_IPCBUF_VADDR);
        }
        hs_probe(&e, HS_IPCBUF_VADDR, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "ipc-buffer-deleted-mid-call");
        hs_env_finish(&e);
}

/* DF set, then a call of six words (two through the IPC buffer: the
 * kernel copies those) and a reply of six; then the script's ud2 enters
 * by the trap path with DF still set. Every word must arrive in order
 * both ways and the fault be the script's end (a trap entry that leaves
 * DF or AC set panics the kernel: trap.c). */
static void df_call(void)
{
        const uint64_t mr[6] = { MARK | 1, MARK | 2, MARK | 3, MARK | 4, MARK | 5, MARK | 6 };
        struct mku_msg m = { 0 };
        struct hs_env e;
        struct hs_end end;
        uint64_t reply;
        unsigned call;
        int r;

        hs_env_start(&e);
        reply = hs_new(&e, MK_OBJ_REPLY, 0);
        (void)hs_std(&e);
        call = hs_sys(&e, 0, MK_SYS_CALL, HS_C_EP, mk_info(9, 0, 6), 0, mr);
        r = run_to_call(&e, reply, &m);
        if (r != MK_OK || mk_info_label(m.info) != 9 || mk_info_len(m.info) != 6 ||
            m.mr[0] != mr[0] || m.mr[3] != mr[3] || mku_ipcbuf->mr[4] != mr[4] ||
            mku_ipcbuf->mr[5] != mr[5]) {
                hs_fail(&e, "the call's words did not arrive in order (kernel error %d)", r);
        } else {
                mku_ipcbuf->mr[4] = MARK | 15;
                mku_ipcbuf->mr[5] = MARK | 16;
                m = (struct mku_msg){ .info = mk_info(0, 0, 6),
                                      .mr = { MARK | 11, MARK | 12, MARK | 13, MARK | 14 } };
                r = mku_reply(reply, &m);
                if (r != MK_OK)
                        hs_fail(&e, "reply: kernel error %d", r);
                hs_wait(&e, &end);
                hs_expect(&e, call, OK);
                if (e.sc->op[call].out_mr0 != (MARK | 11))
                        hs_fail(&e, "the reply's mr0 did not arrive");
                hs_expect_done(&e, &end);
        }
        hs_probe_common(&e);
        hs_case_end(&e, "df-set-call-and-trap");
        hs_env_finish(&e);
}

/* IPC buffer addresses: the kernel reaches the buffer through its own
 * mapping of the frame, so the address only says where in the frame. */
static void ipcbuf_addresses(void)
{
        const uint64_t t = HS_C_TCB, f = HS_FREE_VADDR;
        unsigned op[7];
        struct hs_env e;
        struct hs_end end;

        hs_env_start(&e);
        op[0] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, f + 4, HS_C_FRAME);
        op[1] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, f + 0xff8, HS_C_FRAME);
        op[2] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, f, ONES);
        op[3] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, f, HS_C_PT);
        op[4] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, f, HS_C_UNTYPED);
        op[5] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, 0xffff800000000000ull, HS_C_FRAME);
        op[6] = HS_INV(&e, t, MK_TCB_SET_IPC_BUFFER, ONES & ~7ull, HS_C_FRAME);
        e.sc->ipcbuf = 0;
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        hs_expect(&e, op[0], E(ALIGNMENT));
        hs_expect(&e, op[1], E(RANGE));
        hs_expect(&e, op[2], E(LOOKUP) | E(INVALID_CAP));
        hs_expect(&e, op[3], E(WRONG_TYPE));
        hs_expect(&e, op[4], E(WRONG_TYPE));
        hs_expect(&e, op[5], OK | E(RANGE));
        hs_expect(&e, op[6], E(RANGE));
        hs_probe(&e, f, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "ipc-buffer-bad-addresses");
        hs_env_finish(&e);
}

/* Debug output that looks like the kernel's panic and the root's markers.
 * Without a DebugConsole cap (or with a read-only one) the kernel must
 * refuse it; through the badged cap the root gave (HS_DEBUG_BADGE), and a
 * copy the child minted of it, every line must come out with the kernel's
 * prefix. The root cannot see the console: tests/boot/direct-hostile.sh
 * checks that none of these lines starts a console line and that the
 * prefixed ones arrived. */
#define HS_C_DEBUG 14
#define HS_C_DEBUG_RO 15
#define HS_DEBUG_BADGE 0x5e

static unsigned put(struct hs_env *e, uint64_t cap, const char *s)
{
        uint64_t w[8] = { 0 };
        size_t n = 0;

        for (; s[n] && n < 48; n++)
                w[n / 8] |= (uint64_t)(unsigned char)s[n] << (n % 8 * 8);
        return hs_sys(e, 0, MK_SYS_DEBUG_PUT, cap, n, w[0], w + 1);
}

static void debug_spoof(void)
{
        static const char *const lines[] = {
                "thatte-mk: panic: hostile spoof\n", "thatte-root: hostile spoof ready\n",
                "half a line, then ", "\nthatte-mk: panic: hostile spoof 2\n",
                "\rthatte-mk: panic: hostile spoof 3\n",
        };
        uint64_t dc = rt.info->debug_console;
        unsigned refused[4], ok[7], too_long, mint[2];
        struct hs_env e;
        struct hs_end end;

        hs_env_start(&e);
        rt_give_to(e.cnode, HS_C_DEBUG, rt_copy(dc, ALL, HS_DEBUG_BADGE));
        rt_give_to(e.cnode, HS_C_DEBUG_RO, rt_copy(dc, MK_RIGHT_READ, HS_DEBUG_BADGE + 1));
        refused[0] = put(&e, 30, lines[0]);
        refused[1] = put(&e, HS_C_EP, lines[0]);
        refused[2] = put(&e, ONES, lines[0]);
        refused[3] = put(&e, HS_C_DEBUG_RO, lines[0]);
        for (unsigned i = 0; i < 5; i++)
                ok[i] = put(&e, HS_C_DEBUG, lines[i]);
        too_long = hs_sys(&e, 0, MK_SYS_DEBUG_PUT, HS_C_DEBUG, MK_DEBUG_PUT_MAX + 1, 0, NULL);
        mint[0] = HS_INV(&e, CS, MK_CNODE_MINT, 20, D, HS_C_DEBUG, D, ALL, 0);
        mint[1] = HS_INV(&e, CS, MK_CNODE_MINT, 21, D, HS_C_DEBUG, D, ALL, 7);
        ok[5] = put(&e, 20, "thatte-root: hostile spoof via a copy\n");
        ok[6] = put(&e, HS_C_DEBUG, "thatte-root: ready\n");  /* the end marker */
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        hs_expect(&e, refused[0], E(INVALID_CAP) | E(LOOKUP));
        hs_expect(&e, refused[1], E(WRONG_TYPE));
        hs_expect(&e, refused[2], E(LOOKUP) | E(INVALID_CAP));
        hs_expect(&e, refused[3], E(RIGHTS));
        for (unsigned i = 0; i < 7; i++)
                hs_expect(&e, ok[i], OK);
        hs_expect(&e, too_long, E(RANGE));
        hs_expect(&e, mint[0], OK);
        hs_expect(&e, mint[1], E(ILLEGAL_OP));
        hs_case_end(&e, "debug-output-spoof");
        hs_env_finish(&e);
}

void hs_cases_self(void)
{
        self_delete_tcb();
        self_delete_tcb_vspace();
        self_revoke_vspace();
        self_revoke_cspace();
        ipcbuf_midcall();
        df_call();
        ipcbuf_addresses();
        debug_spoof();
}
