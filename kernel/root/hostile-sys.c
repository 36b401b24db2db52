/* kernel/root/hostile-sys.c: hostile syscalls. Every syscall number (and
 * numbers beyond them) with every register at all-ones, rsp included;
 * every method of every object the child holds with all-ones arguments;
 * retype, copy and mint with sizes, depths, guards and slots out of
 * range. Each must end in its error code, and the thread must go on to
 * the end of its script. */
#include "hostile-test.h"

static const uint64_t ones6[6] = { ONES, ONES, ONES, ONES, ONES, ONES };

/* ---- every syscall number, all registers all-ones ---- */

static uint32_t nr_expect(uint64_t nr)
{
        if ((nr >= MK_SYS_CALL && nr <= MK_SYS_REPLY_RECV) || nr == MK_SYS_WAIT_UNTIL)
                return E(LOOKUP) | E(INVALID_CAP);     /* cptr ~0 names nothing */
        if (nr == MK_SYS_YIELD)
                return HS_BIT(MK_OK);
        if (nr == MK_SYS_DEBUG_PUT || nr == MK_SYS_DEBUG_PUT + 1)
                return HS_ANY_ERROR;                    /* length ~0, no cap */
        return E(INVALID_SYSCALL);
}

static void sys_allones(void)
{
        static const uint64_t nrs[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 255, 256,
                                        1ull << 32, 1ull << 63, ONES };
        const unsigned n = sizeof(nrs) / sizeof(nrs[0]);
        unsigned op[sizeof(nrs) / sizeof(nrs[0])];
        struct hs_env e;
        struct hs_end end;

        hs_env_start(&e);
        for (unsigned i = 0; i < n; i++)
                op[i] = hs_sys(&e, ONES, nrs[i], ONES, ONES, ONES, ones6);
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        for (unsigned i = 0; i < n; i++)
                hs_expect(&e, op[i], nr_expect(nrs[i]));
        hs_probe_common(&e);
        hs_case_end(&e, "sys-every-number-all-ones");
        hs_env_finish(&e);
}

/* ---- deadlines: WAIT_UNTIL's from user code ---- */

/* WAIT_UNTIL on the wrong caps, with a deadline long passed, and with
 * one a little ahead (a real wait the kernel's timer ends); the word is
 * emptied first so a timeout is the only right answer. */
static void sys_wait_until(void)
{
        unsigned poll, passed, ep, frame, none, ahead;
        struct hs_env e;
        struct hs_end end;

        hs_env_start(&e);
        poll = hs_sys(&e, 0, MK_SYS_NBRECV, HS_C_NTFN, 0, 0, NULL);
        passed = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, HS_C_NTFN, 0, 1, NULL);
        ep = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, HS_C_EP, 0, ONES, NULL);
        frame = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, HS_C_FRAME, 0, ONES, NULL);
        none = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, ONES, ONES, ONES, ones6);
        ahead = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, HS_C_NTFN, 0, mku_rdtsc() + (1ull << 22), NULL);
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        hs_expect(&e, poll, OK);
        hs_expect(&e, passed, E(TIMEOUT));
        hs_expect(&e, ep, E(WRONG_TYPE));
        hs_expect(&e, frame, E(WRONG_TYPE));
        hs_expect(&e, none, E(LOOKUP) | E(INVALID_CAP));
        hs_expect(&e, ahead, E(TIMEOUT));
        hs_probe_common(&e);
        hs_case_end(&e, "sys-wait-until");
        hs_env_finish(&e);
}

/* The child waits with a far deadline; the root, once the CPU idled a
 * while (the child blocked), deletes the child's only notification cap:
 * the wait ends MK_E_ABORTED and the deadline leaves the kernel's queue
 * (the case's memory goes at its end, long before the deadline). */
static void sys_wait_until_deleted(void)
{
        uint64_t pause, word;
        unsigned wait, after;
        struct hs_env e;
        struct hs_end end;
        int r;

        hs_env_start(&e);
        pause = hs_new(&e, MK_OBJ_NOTIFICATION, 0);
        wait = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, HS_C_NTFN, 0, mku_rdtsc() + (1ull << 40), NULL);
        after = hs_sys(&e, 0, MK_SYS_WAIT_UNTIL, HS_C_NTFN, 0, 1, NULL);
        e.sc->index = 0;
        r = hs_start(&e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0);
        if (r == MK_OK)
                r = mku_wait_until(pause, mku_rdtsc() + (1ull << 24), &word);
        if (r != MK_E_TIMEOUT)
                hs_fail(&e, "the root's own pause: kernel error %d", r);
        rt_must(mku_cnode_delete(e.cnode, HS_C_NTFN, HS_RADIX), "delete the child's notification");
        hs_wait(&e, &end);
        hs_expect_done(&e, &end);
        hs_expect(&e, wait, E(ABORTED));
        hs_expect(&e, after, E(INVALID_CAP) | E(LOOKUP));
        hs_probe_common(&e);
        hs_case_end(&e, "sys-wait-until-deleted");
        hs_env_finish(&e);
}

/* ---- every cap the child holds, every way in, info and args all-ones ---- */

static const uint64_t object_slots[] = { HS_C_CNODE, HS_C_TCB, HS_C_PML4, HS_C_UNTYPED,
                                         HS_C_PT, HS_C_FRAME, HS_C_EP, HS_C_NTFN,
                                         HS_C_REPLY };
#define NSLOTS (sizeof(object_slots) / sizeof(object_slots[0]))

static int is_ep(uint64_t slot) { return slot == HS_C_EP; }

static uint32_t send_expect(uint64_t slot)
{
        if (is_ep(slot))
                return HS_ANY_ERROR;            /* nobody receives: would block */
        if (slot == HS_C_NTFN)
                return HS_BIT(MK_OK);           /* a signal */
        if (slot == HS_C_REPLY)
                return E(ILLEGAL_OP);
        return E(INVALID_ARG);                  /* label 2^52 - 1 */
}

static uint32_t recv_expect(uint64_t slot)
{
        if (is_ep(slot))
                return E(LOOKUP) | E(INVALID_CAP); /* reply cptr ~0 */
        if (slot == HS_C_NTFN)
                return HS_BIT(MK_OK);           /* a poll */
        return E(WRONG_TYPE);
}

static void sys_caps_allones(void)
{
        unsigned send[NSLOTS], recv[NSLOTS];
        struct hs_env e;
        struct hs_end end;

        hs_env_start(&e);
        for (unsigned i = 0; i < NSLOTS; i++) {
                send[i] = hs_sys(&e, ONES, is_ep(object_slots[i]) ? MK_SYS_NBSEND : MK_SYS_CALL,
                                 object_slots[i], ONES, ONES, ones6);
                recv[i] = hs_sys(&e, ONES, MK_SYS_NBRECV, object_slots[i], ONES, ONES, ones6);
        }
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        for (unsigned i = 0; i < NSLOTS; i++) {
                hs_expect(&e, send[i], send_expect(object_slots[i]));
                hs_expect(&e, recv[i], recv_expect(object_slots[i]));
        }
        hs_probe_common(&e);
        hs_case_end(&e, "sys-every-cap-all-ones");
        hs_env_finish(&e);
}

/* ---- every method label on every object, arguments all-ones ---- */

static uint32_t method_expect(uint64_t slot, uint64_t label)
{
        switch (slot) {
        case HS_C_CNODE:
                return label >= MK_CNODE_COPY && label <= MK_CNODE_REVOKE ? E(RANGE)
                                                                          : E(INVALID_ARG);
        case HS_C_TCB:
                switch (label) {
                case MK_TCB_CONFIGURE: case MK_TCB_BIND_NOTIFICATION: case MK_TCB_SET_IPC_BUFFER:
                        return E(LOOKUP);
                case MK_TCB_SET_PRIORITY: case MK_TCB_WRITE_REGISTERS:
                        return E(RANGE);
                case MK_TCB_RESUME:
                        return HS_BIT(MK_OK);
                case MK_TCB_UNBIND_NOTIFICATION:
                        return E(ILLEGAL_OP);
                default:
                        return E(INVALID_ARG);
                }
        case HS_C_PML4: case HS_C_PT: case HS_C_FRAME:
                if (label == MK_PAGE_UNMAP)
                        return HS_BIT(MK_OK) | E(ILLEGAL_OP);
                if (label == MK_PAGE_MAP)
                        return E(INVALID_ARG) | E(ILLEGAL_OP);
                return E(INVALID_ARG);
        default:
                return E(INVALID_ARG);
        }
}

/* Labels first..last on the object in slot, all-ones arguments: one
 * script (a script holds HS_OPS_MAX ops, fewer than the labels). */
static void methods_run(struct hs_env *e, uint64_t slot, uint64_t first, uint64_t last)
{
        unsigned op[MK_LABEL_COUNT + 2];
        struct hs_end end;

        hs_script_reset(e);
        for (uint64_t label = first; label <= last; label++) {
                op[label] = ~0u;
                if (slot == HS_C_TCB && label == MK_TCB_SUSPEND)
                        continue;       /* it would stop the script itself */
                op[label] = hs_sys(e, ONES, MK_SYS_CALL, slot, mk_info(label, 0, MK_MSG_MAX),
                                   ONES, ones6);
        }
        hs_run_script(e, &end);
        hs_expect_done(e, &end);
        for (uint64_t label = first; label <= last; label++)
                if (op[label] != ~0u)
                        hs_expect(e, op[label], method_expect(slot, label));
}

static void methods_allones(void)
{
        static const uint64_t slots[] = { HS_C_CNODE, HS_C_TCB, HS_C_PML4, HS_C_UNTYPED,
                                          HS_C_PT, HS_C_FRAME };
        const uint64_t last = MK_LABEL_COUNT + 1, chunk = HS_OPS_MAX - 1;
        struct hs_env e;

        hs_env_start(&e);
        for (unsigned s = 0; s < sizeof(slots) / sizeof(slots[0]); s++)
                for (uint64_t first = 0; first <= last; first += chunk)
                        methods_run(&e, slots[s], first,
                                    first + chunk - 1 < last ? first + chunk - 1 : last);
        hs_probe_common(&e);
        hs_case_end(&e, "sys-every-method-all-ones");
        hs_env_finish(&e);
}

/* ---- retype out of range ---- */

/* Run a script whose first n ops must fail with want[i], followed by a
 * good op that must succeed and a last one that must end in last_want:
 * a refused op changed nothing the good one needs. */
static void run_refusals(struct hs_env *e, const uint32_t *want, unsigned n, unsigned good,
                         unsigned last, uint32_t last_want, const char *name)
{
        struct hs_end end;

        hs_run_script(e, &end);
        hs_expect_done(e, &end);
        for (unsigned i = 0; i < n; i++)
                hs_expect(e, i, want[i]);
        hs_expect(e, good, HS_BIT(MK_OK));
        hs_expect(e, last, last_want);
        hs_probe_common(e);
        hs_case_end(e, name);
        hs_env_finish(e);
}

struct retype_bad {
        uint64_t type, bits, dest, offset, count;
        uint32_t want;
};

static void retype_range(void)
{
        const uint64_t cs = HS_C_CNODE, ut = HS_C_UNTYPED_BITS;
        const struct retype_bad bad[] = {
                { MK_OBJ_NULL, 0, cs, 20, 1, E(INVALID_ARG) },
                { MK_OBJ_COUNT, 0, cs, 20, 1, E(INVALID_ARG) },          /* IRQ control */
                { MK_OBJ_COUNT + 3, 0, cs, 20, 1, E(INVALID_ARG) },      /* I/O port */
                { 255, 0, cs, 20, 1, E(INVALID_ARG) },
                { ONES, 0, cs, 20, 1, E(INVALID_ARG) },
                { MK_OBJ_UNTYPED, 4, cs, 20, 1, E(RANGE) },
                { MK_OBJ_UNTYPED, 48, cs, 20, 1, E(RANGE) },
                { MK_OBJ_UNTYPED, ut + 1, cs, 20, 1, E(RANGE) },         /* bigger than it */
                { MK_OBJ_UNTYPED, 64, cs, 20, 1, E(RANGE) },
                { MK_OBJ_UNTYPED, 1ull << 63, cs, 20, 1, E(RANGE) },
                { MK_OBJ_CNODE, 0, cs, 20, 1, E(RANGE) },
                { MK_OBJ_CNODE, 17, cs, 20, 1, E(RANGE) },
                { MK_OBJ_CNODE, ONES, cs, 20, 1, E(RANGE) },
                { MK_OBJ_FRAME, 13, cs, 20, 1, E(RANGE) },
                { MK_OBJ_FRAME, 21, cs, 20, 1, E(RANGE) },               /* 2 MiB > 64 KiB */
                { MK_OBJ_FRAME, 12, cs, 20, 0, E(RANGE) },
                { MK_OBJ_FRAME, 12, cs, 20, 257, E(RANGE) },
                { MK_OBJ_FRAME, 12, cs, 20, ONES, E(RANGE) },
                { MK_OBJ_FRAME, 12, cs, 1ull << HS_RADIX, 1, E(RANGE) },
                { MK_OBJ_FRAME, 12, cs, ONES, 1, E(RANGE) },
                { MK_OBJ_FRAME, 12, cs, (1ull << HS_RADIX) - 2, 4, E(RANGE) },
                { MK_OBJ_FRAME, 12, ONES, 20, 1, E(LOOKUP) | E(INVALID_CAP) },
                { MK_OBJ_FRAME, 12, HS_C_TCB, 20, 1, E(WRONG_TYPE) },
                { MK_OBJ_FRAME, 12, cs, HS_C_TCB, 1, E(DELETE_FIRST) },
                { MK_OBJ_FRAME, 12, cs, 20, 17, E(NO_MEMORY) },          /* 68 KiB */
        };
        const unsigned n = sizeof(bad) / sizeof(bad[0]);
        uint32_t want[sizeof(bad) / sizeof(bad[0])];
        unsigned good, after;
        struct hs_env e;

        hs_env_start(&e);
        for (unsigned i = 0; i < n; i++) {
                want[i] = bad[i].want;
                (void)HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, bad[i].type, bad[i].bits,
                             bad[i].dest, bad[i].offset, bad[i].count);
        }
        /* nothing was made: slot 20 is still free, and the whole Untyped too */
        good = HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_FRAME, 12, HS_C_CNODE, 20, 16);
        after = HS_INV(&e, HS_C_CNODE, MK_CNODE_COPY, 40, 64, 36, 64, MK_RIGHTS_ALL);
        run_refusals(&e, want, n, good, after, E(INVALID_CAP), "retype-out-of-range");
}

/* ---- a long retype, preempted, its Untyped deleted meanwhile ---- */

#define HS_BIG_BITS 28u                 /* 256 MiB: more than a timeslice to zero */
#define HS_N_SLOT 18u                   /* a CNode of 128 slots for the frames */
#define HS_N_RADIX 7u
#define HS_LATE_TICKS 60000000ull       /* past the other thread's first timeslice */

_Static_assert(HS_INFO_CNODE_DELETE == ((uint64_t)MK_CNODE_DELETE << 12 | 2), "hostile.h");
_Static_assert(HS_SYS_CALL == MK_SYS_CALL, "hostile.h");
_Static_assert(HS_INFO_PAGE_UNMAP == (uint64_t)MK_PAGE_UNMAP << 12, "hostile.h");

/* An Untyped of 2^bits from any of the root's into slot of the child's CNode. */
static int give_untyped(struct hs_env *e, unsigned bits, uint64_t slot)
{
        const struct thatte_root_info *in = rt.info;

        for (uint64_t i = 0; i < in->untyped_count && i < THATTE_ROOT_UNTYPED_MAX; i++)
                if (!in->untyped[i].is_device && in->untyped[i].size_bits >= bits &&
                    mku_untyped_retype(in->untyped_first + i, MK_OBJ_UNTYPED, bits, e->cnode,
                                       slot, 1) == MK_OK)
                        return 1;
        return 0;
}

/* The child retypes 128 frames of 2 MiB from a 256 MiB Untyped: zeroing
 * takes several timeslices, with a preemption point every 4 KiB. After
 * one timeslice a second thread of its space deletes that Untyped; the
 * retype, run again, must find the cap gone and have made nothing. */
static void retype_preempted(void)
{
        const uint64_t mr[6] = { MK_OBJ_FRAME, 21, HS_N_SLOT, 0, 1u << HS_N_RADIX, ONES };
        uint64_t n;
        struct hs_env e;
        struct hs_end end;
        unsigned op, seen = 0;

        hs_env_start(&e);
        n = hs_new(&e, MK_OBJ_CNODE, HS_N_RADIX);
        rt_give_to(e.cnode, HS_N_SLOT, n);
        if (!give_untyped(&e, HS_BIG_BITS, HS_C_BIG))
                hs_fail(&e, "no Untyped of 2^%u bytes to give (boot with more memory)",
                        HS_BIG_BITS);
        op = hs_sys(&e, ONES, MK_SYS_CALL, HS_C_BIG, mk_info(MK_UNTYPED_RETYPE, 0, 5), ONES,
                    mr);
        /* the deleter first: the same priority, so it spins through its
         * timeslice, the retype runs through one, then the deleter acts */
        if (mku_tcb_write_registers(e.probe_tcb, (uint64_t)(uintptr_t)child_delete_late, 0,
                                    mku_rdtsc() + HS_LATE_TICKS, 1) != MK_OK ||
            hs_start(&e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0) != MK_OK)
                hs_fail(&e, "starting the threads");
        for (unsigned i = 0; i < 2 && !e.fails; i++) {
                hs_wait_any(&e, &end);
                if (end.badge == e.badge && end.vector == HS_VEC_END &&
                    end.rip == (uint64_t)(uintptr_t)child_script_end && (seen & 2))
                        seen |= 1;      /* the retype came back after the deletion */
                else if (end.badge == (e.badge | 1) && end.vector == HS_VEC_END &&
                         end.rip == (uint64_t)(uintptr_t)child_delete_done)
                        seen |= 2;
                else if (end.badge == e.badge && !(seen & 2))
                        hs_fail(&e, "the retype (kernel said %lu) ended before the other "
                                "thread ran: no preemption", (unsigned long)e.sc->op[op].out_nr);
                else
                        hs_fail(&e, "unexpected end: badge 0x%lx vector %lu rip 0x%lx%s",
                                (unsigned long)end.badge, (unsigned long)end.vector,
                                (unsigned long)end.rip, end.timeout ? " (timeout)" : "");
                (void)mku_tcb_suspend(end.badge == e.badge ? e.tcb : e.probe_tcb);
        }
        if (!e.fails && seen != 3)
                hs_fail(&e, "the retype ended before the deletion (0x%x)", seen);
        hs_expect(&e, op, E(INVALID_CAP) | E(LOOKUP));
        for (uint64_t slot = 0; slot < 1u << HS_N_RADIX; slot += 63)
                if (mku_cnode_copy(n, 1, HS_N_RADIX, slot, HS_N_RADIX, MK_RIGHTS_ALL) !=
                    MK_E_INVALID_CAP)
                        hs_fail(&e, "slot %lu of the destination is not empty",
                                (unsigned long)slot);
        hs_probe_common(&e);
        hs_case_end(&e, "retype-preempted-untyped-deleted");
        hs_env_finish(&e);
}

/* ---- a long revoke, preempted, a mapped frame in it deleted meanwhile ---- */

#define HS_REV_BITS 28u                 /* 256 MiB: a frame and 63 CNodes of 4 MiB */
#define HS_REV_SLOT 14u
#define HS_REV_CNODES 63u

/* The child retypes an Untyped into a frame (in HS_C_BIG, mapped at A)
 * and 63 CNodes of 65536 slots, raises a flag and revokes the Untyped:
 * emptying those slots takes several timeslices (the frame, the oldest
 * child, goes last). A second thread of its space at the same priority,
 * spinning on the flag, unmaps and deletes the mapped frame's cap when
 * the revoke is preempted: its unmap must find the cap (MK_OK: an empty
 * slot gives INVALID_CAP), its delete work, the revoke end OK
 * (whichever thread finishes first: a syscall drains the dying CNodes
 * before its own work), and no cap or translation of the memory stay. */
static void revoke_interleaved(void)
{
        const uint64_t frame[6] = { MK_OBJ_FRAME, 12, HS_C_CNODE, HS_C_BIG, 1, ONES };
        const uint64_t cnodes[6] = { MK_OBJ_CNODE, 16, HS_N_SLOT, 0, HS_REV_CNODES, ONES };
        const uint64_t A = HS_REGION_A;
        struct hs_env e;
        struct hs_end end;
        unsigned op[7], load, seen = 0;

        hs_env_start(&e);
        rt_give_to(e.cnode, HS_N_SLOT, hs_new(&e, MK_OBJ_CNODE, HS_N_RADIX));
        if (!give_untyped(&e, HS_REV_BITS, HS_REV_SLOT))
                hs_fail(&e, "no Untyped of 2^%u bytes to give (boot with more memory)",
                        HS_REV_BITS);
        e.sc->pad[0] = 0;
        e.sc->pad[1] = e.sc->pad[2] = ONES;
        op[0] = hs_sys(&e, 0, MK_SYS_CALL, HS_REV_SLOT, mk_info(MK_UNTYPED_RETYPE, 0, 5), 0,
                       frame);
        op[1] = hs_sys(&e, 0, MK_SYS_CALL, HS_REV_SLOT, mk_info(MK_UNTYPED_RETYPE, 0, 5), 0,
                       cnodes);
        op[2] = HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, A, ALL, 0);
        op[3] = HS_INV(&e, HS_C_BIG, MK_PAGE_MAP, PML4, A, RW, 0);
        op[4] = hs_store(&e, A, MARK | 7);
        op[5] = hs_store(&e, HS_SCRIPT_VADDR + HS_FLAG, 1);
        op[6] = HS_INV(&e, CS, MK_CNODE_REVOKE, HS_REV_SLOT, D);
        load = hs_load(&e, A);
        /* the deleter first: it spins on the flag through its timeslices */
        if (mku_tcb_write_registers(e.probe_tcb, (uint64_t)(uintptr_t)child_flag_delete, 0,
                                    HS_SCRIPT_VADDR + HS_FLAG, 1) != MK_OK ||
            hs_start(&e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0) != MK_OK)
                hs_fail(&e, "starting the threads");
        for (unsigned i = 0; i < 2 && !e.fails; i++) {
                hs_wait_any(&e, &end);
                if (end.badge == e.badge && !end.timeout) {
                        seen |= 1;
                        hs_expect_fault(&e, &end, load, A);
                } else if (end.badge == (e.badge | 1) && end.vector == HS_VEC_END &&
                           end.rip == (uint64_t)(uintptr_t)child_flag_done) {
                        seen |= 2;
                } else {
                        hs_fail(&e, "unexpected end: badge 0x%lx vector %lu rip 0x%lx%s",
                                (unsigned long)end.badge, (unsigned long)end.vector,
                                (unsigned long)end.rip, end.timeout ? " (timeout)" : "");
                }
                (void)mku_tcb_suspend(end.badge == e.badge ? e.tcb : e.probe_tcb);
        }
        if (!e.fails && (seen != 3 || e.sc->pad[1] != MK_OK || e.sc->pad[2] != MK_OK))
                hs_fail(&e, "unmap and delete during the revoke said %ld, %ld (ends 0x%x): "
                        "not interleaved", (long)e.sc->pad[1], (long)e.sc->pad[2], seen);
        for (unsigned i = 0; i < 7; i++)
                if (i != 4 && i != 5)   /* the stores */
                        hs_expect(&e, op[i], OK);
        if (mku_cnode_copy(e.cnode, 20, HS_RADIX, HS_C_BIG, HS_RADIX, MK_RIGHTS_ALL) !=
            MK_E_INVALID_CAP)
                hs_fail(&e, "the frame's slot is not empty");
        hs_probe(&e, A, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "revoke-preempted-mapped-frame-deleted");
        hs_env_finish(&e);
}

/* ---- copy, mint, move, delete, revoke out of range ---- */

static void cnode_range(void)
{
        const uint64_t cs = HS_C_CNODE, all = MK_RIGHTS_ALL, d = 64;
        struct bad { uint64_t label, a[6]; uint32_t want; };
        const struct bad bad[] = {
                { MK_CNODE_COPY, { 20, 0, HS_C_EP, d, all }, E(RANGE) },
                { MK_CNODE_COPY, { 20, 65, HS_C_EP, d, all }, E(RANGE) },
                { MK_CNODE_COPY, { 20, ONES, HS_C_EP, d, all }, E(RANGE) },
                { MK_CNODE_COPY, { 20, d, HS_C_EP, 0, all }, E(RANGE) },
                { MK_CNODE_COPY, { 20, HS_RADIX, HS_C_EP, d, all }, E(LOOKUP) }, /* guard */
                { MK_CNODE_COPY, { 1ull << HS_RADIX, d, HS_C_EP, d, all }, E(LOOKUP) },
                { MK_CNODE_COPY, { ONES, d, HS_C_EP, d, all }, E(LOOKUP) },
                { MK_CNODE_COPY, { 20, d, ONES, d, all }, E(LOOKUP) },
                { MK_CNODE_COPY, { 20, d, 30, d, all }, E(INVALID_CAP) },        /* empty */
                { MK_CNODE_COPY, { HS_C_NTFN, d, HS_C_EP, d, all }, E(DELETE_FIRST) },
                { MK_CNODE_COPY, { 20, d, HS_C_EP, d, 16 }, E(INVALID_ARG) },
                { MK_CNODE_COPY, { 20, d, HS_C_EP, d, ONES }, E(INVALID_ARG) },
                { MK_CNODE_COPY, { 20, d, HS_C_UNTYPED, d, all }, E(ILLEGAL_OP) },
                { MK_CNODE_MINT, { 20, d, HS_C_CNODE, d, all, 59ull << 58 }, E(RANGE) },
                { MK_CNODE_MINT, { 20, d, HS_C_CNODE, d, all, ONES }, E(RANGE) },
                { MK_CNODE_MINT, { 20, d, HS_C_CNODE, d, all, (2ull << 58) | 7 }, E(RANGE) },
                { MK_CNODE_MINT, { 20, d, HS_C_TCB, d, all, 5 }, E(INVALID_ARG) },
                { MK_CNODE_MINT, { 20, d, HS_C_FAULT_EP, d, all, 5 }, E(ILLEGAL_OP) }, /* badged */
                { MK_CNODE_MOVE, { 20, d, 30, d }, E(INVALID_CAP) },
                { MK_CNODE_MOVE, { HS_C_NTFN, d, HS_C_EP, d }, E(DELETE_FIRST) },
                { MK_CNODE_MOVE, { 20, 0, HS_C_EP, d }, E(RANGE) },
                { MK_CNODE_DELETE, { 20, 0 }, E(RANGE) },
                { MK_CNODE_DELETE, { 20, 65 }, E(RANGE) },
                { MK_CNODE_DELETE, { ONES, d }, E(LOOKUP) },
                { MK_CNODE_REVOKE, { 20, ONES }, E(RANGE) },
                { MK_CNODE_REVOKE, { 1ull << HS_RADIX, d }, E(LOOKUP) },
        };
        const unsigned n = sizeof(bad) / sizeof(bad[0]);
        uint32_t want[sizeof(bad) / sizeof(bad[0])];
        unsigned good, after;
        struct hs_env e;

        hs_env_start(&e);
        for (unsigned i = 0; i < n; i++) {
                want[i] = bad[i].want;
                (void)hs_inv(&e, cs, bad[i].label, 6, bad[i].a);
        }
        /* every refused call left slot 20 empty: a copy goes there */
        good = HS_INV(&e, cs, MK_CNODE_COPY, 20, d, HS_C_EP, d, all);
        after = HS_INV(&e, cs, MK_CNODE_MINT, 21, d, HS_C_CNODE, d, all,
                       (uint64_t)(64 - HS_RADIX) << 58);
        run_refusals(&e, want, n, good, after, HS_BIT(MK_OK), "cnode-out-of-range");
}

void hs_cases_sys(void)
{
        sys_allones();
        sys_wait_until();
        sys_wait_until_deleted();
        sys_caps_allones();
        methods_allones();
        retype_range();
        retype_preempted();
        revoke_interleaved();
        cnode_range();
}
