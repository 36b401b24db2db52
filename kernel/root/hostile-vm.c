/* kernel/root/hostile-vm.c: hostile memory management. Page tables mapped
 * twice through a copy of their cap, unmapped and mapped again elsewhere;
 * memory revoked and reused while it is mapped; a thread that deletes its
 * own TCB or revokes its own VSpace or CSpace while it runs; an IPC
 * buffer deleted while its thread waits in a call; bad map and IPC buffer
 * addresses; debug output that pretends to be the kernel or the root. The
 * probes after each case read through every address the child mapped or
 * touched: each must give the word its caps say, or fault. */
#include "hostile-test.h"

#define ONES (~0ull)
#define E(x) HS_BIT(MK_E_##x)
#define OK HS_BIT(MK_OK)
#define RW (MK_RIGHT_READ | MK_RIGHT_WRITE)
#define ALL MK_RIGHTS_ALL
#define CS HS_C_CNODE
#define PML4 HS_C_PML4
#define D 64
#define A HS_REGION_A
#define B HS_REGION_B
#define C HS_REGION_C
#define MARK 0x1badc0de00000000ull

/* The script of each case, then the outcome it must have. */

/* A copy of a mapped table's cap maps the same table a second time. */
static void table_copy(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned op[5], load;

        hs_env_start(&e);
        op[0] = HS_INV(&e, CS, MK_CNODE_COPY, 20, D, HS_C_PT, D, ALL);
        op[1] = HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, A, ALL, 0);
        op[2] = HS_INV(&e, HS_C_FRAME, MK_PAGE_MAP, PML4, A, RW, 0);
        hs_store(&e, A, MARK | 1);
        op[3] = HS_INV(&e, 20, MK_PAGE_MAP, PML4, B, ALL, 0);
        load = hs_load(&e, B);
        hs_run_script(&e, &end);
        hs_expect(&e, op[0], OK);
        hs_expect(&e, op[1], OK);
        hs_expect(&e, op[2], OK);
        hs_expect(&e, op[3], HS_ANY_ERROR);
        hs_expect_fault(&e, &end, load, B);
        hs_probe(&e, A, MARK | 1);
        hs_probe(&e, B, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "table-copy-maps-twice");
        hs_env_finish(&e);
}

/* A table unmapped while a frame is mapped in it, then mapped elsewhere:
 * the frame must not appear at the new place (no cap says it is there). */
static void table_remap(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned op[4], load;

        hs_env_start(&e);
        op[0] = HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, A, ALL, 0);
        op[1] = HS_INV(&e, HS_C_FRAME, MK_PAGE_MAP, PML4, A + 0x1000, RW, 0);
        hs_store(&e, A + 0x1000, MARK | 2);
        hs_load(&e, A + 0x1000);
        op[2] = hs_inv(&e, HS_C_PT, MK_PAGE_UNMAP, 0, NULL);
        op[3] = HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, C, ALL, 0);
        load = hs_load(&e, C + 0x1000);
        hs_run_script(&e, &end);
        hs_expect(&e, op[0], OK);
        hs_expect(&e, op[1], OK);
        hs_expect(&e, op[2], OK);
        hs_expect(&e, op[3], ~0u);
        hs_expect_fault(&e, &end, load, C + 0x1000);
        hs_probe(&e, A + 0x1000, HS_FAULT);
        hs_probe(&e, C + 0x1000, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "table-unmap-remap");
        hs_env_finish(&e);
}

/* Unmapped, copied, both mapped: one table object, one mapping. */
static void table_copy_unmapped(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned op[5], load;

        hs_env_start(&e);
        op[0] = HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, A, ALL, 0);
        op[1] = HS_INV(&e, HS_C_FRAME, MK_PAGE_MAP, PML4, A, RW, 0);
        hs_store(&e, A, MARK | 3);
        op[2] = hs_inv(&e, HS_C_PT, MK_PAGE_UNMAP, 0, NULL);
        op[3] = HS_INV(&e, CS, MK_CNODE_COPY, 20, D, HS_C_PT, D, ALL);
        op[4] = HS_INV(&e, 20, MK_PAGE_MAP, PML4, B, ALL, 0);
        HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, C, ALL, 0);
        load = hs_load(&e, B);
        hs_run_script(&e, &end);
        for (unsigned i = 0; i < 4; i++)
                hs_expect(&e, op[i], OK);
        hs_expect(&e, op[4], ~0u);
        hs_expect(&e, op[4] + 1, HS_ANY_ERROR);
        hs_expect_fault(&e, &end, load, B);
        hs_probe(&e, A, HS_FAULT);
        hs_probe(&e, B, HS_FAULT);
        hs_probe(&e, C, HS_FAULT);
        hs_case_end(&e, "table-unmapped-copy-maps-twice");
        hs_env_finish(&e);
}

/* The TLB: a frame reachable through a second mapping of its table, read
 * there, then unmapped: a read there afterwards must fault (a flush of
 * the frame's first address only would leave the second one readable). */
static void table_stale_tlb(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned first, unmap, second;

        hs_env_start(&e);
        HS_INV(&e, CS, MK_CNODE_COPY, 20, D, HS_C_PT, D, ALL);
        HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, A, ALL, 0);
        HS_INV(&e, HS_C_FRAME, MK_PAGE_MAP, PML4, A, RW, 0);
        hs_store(&e, A, MARK | 4);
        HS_INV(&e, 20, MK_PAGE_MAP, PML4, B, ALL, 0);
        first = hs_load(&e, B);
        unmap = hs_inv(&e, HS_C_FRAME, MK_PAGE_UNMAP, 0, NULL);
        second = hs_load(&e, B);
        hs_run_script(&e, &end);
        if (!end.timeout && end.vector == 6)
                hs_fail(&e, "after the frame's unmapping B still read 0x%lx",
                        (unsigned long)e.sc->op[second].out_nr);
        else if (end.timeout || end.vector != 14 || end.addr != B ||
                 (end.index != first && end.index != second))
                hs_expect_fault(&e, &end, first, B);
        /* the frame is still at A when the script stopped before its unmapping */
        hs_probe(&e, A, end.index < unmap ? (MARK | 4) : HS_FAULT);
        hs_probe(&e, B, HS_FAULT);
        hs_case_end(&e, "table-copy-stale-tlb");
        hs_env_finish(&e);
}

/* The whole attack of issue 16: a frame reachable through a second
 * mapping of its table is written there (the TLB keeps the entry), its
 * memory revoked and retyped as a CNode, an endpoint retyped into that
 * CNode; through the stale entry the child reads the endpoint cap (a
 * kernel address), writes a Frame cap for that kernel page into the next
 * slot and maps it. Every step after the second mapping must fail. */
static void forge_cap(void)
{
        const uint64_t cap_size = 64, frame_word = MK_OBJ_FRAME | (ALL << 8) | (12u << 16);
        struct hs_env e;
        struct hs_end end;
        unsigned second, store, leak, map_forged;

        hs_env_start(&e);
        rt_give_to(e.cnode, HS_C_CNODE2, rt_copy(e.cnode, ALL, (58ull - HS_RADIX) << 58));
        HS_INV(&e, CS, MK_CNODE_COPY, 20, D, HS_C_PT, D, ALL);
        HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, A, ALL, 0);
        HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_FRAME, 12, CS, 21, 1);
        HS_INV(&e, 21, MK_PAGE_MAP, PML4, A, RW, 0);
        second = HS_INV(&e, 20, MK_PAGE_MAP, PML4, B, ALL, 0);
        store = hs_store(&e, B, MARK | 10);
        HS_INV(&e, CS, MK_CNODE_REVOKE, HS_C_UNTYPED, D);
        HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_CNODE, HS_RADIX, CS, 22, 1);
        HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_ENDPOINT, 0, 22, 0, 1);
        hs_store(&e, B + cap_size, frame_word);
        leak = hs_copy_word(&e, B + 8, B + cap_size + 8);
        /* from here on CPtrs have two levels: slot << 6 | slot inside 22 */
        HS_INV(&e, HS_C_TCB, MK_TCB_CONFIGURE, HS_C_CNODE2, PML4, HS_C_FAULT_EP);
        map_forged = HS_INV(&e, 22 << 6 | 1, MK_PAGE_MAP, PML4 << 6, HS_FREE_VADDR, RW, 0);
        hs_load(&e, HS_FREE_VADDR);
        /* undo it, so that the kernel's teardown meets no forged cap */
        hs_inv(&e, 22 << 6 | 1, MK_PAGE_UNMAP, 0, NULL);
        for (unsigned i = 0; i < 4; i++)
                hs_store(&e, B + cap_size + 8 * i, 0);
        hs_run_script(&e, &end);
        if (end.index > map_forged && e.sc->op[map_forged].out_nr == MK_OK)
                hs_fail(&e, "forged a Frame cap for kernel memory (0x%lx) and mapped it",
                        (unsigned long)e.sc->op[leak].out_nr);
        hs_expect(&e, second, HS_ANY_ERROR);
        hs_expect_fault(&e, &end, store, B);
        hs_probe(&e, B, HS_FAULT);
        hs_probe(&e, HS_FREE_VADDR, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "forge-cap-through-stale-mapping");
        hs_env_finish(&e);
}

/* Memory revoked while mapped, then reused for a CNode: the old mapping
 * must be gone (a write there would forge capabilities). */
static void revoke_mapped(int table)
{
        const uint64_t va = table ? B : A;
        struct hs_env e;
        struct hs_end end;
        unsigned op[6], store;

        hs_env_start(&e);
        if (table) {
                op[0] = HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_PT, 0, CS, 20, 1);
                op[1] = HS_INV(&e, 20, MK_PAGE_MAP, PML4, va, ALL, 0);
        } else {
                op[0] = HS_INV(&e, HS_C_PT, MK_PAGE_MAP, PML4, va, ALL, 0);
                op[1] = HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_FRAME, 12, CS, 20, 1);
        }
        op[2] = HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_FRAME, 12, CS, 21, 1);
        op[3] = HS_INV(&e, table ? 21 : 20, MK_PAGE_MAP, PML4, va, RW, 0);
        hs_store(&e, va, MARK | 5);
        hs_load(&e, va);
        op[4] = HS_INV(&e, CS, MK_CNODE_REVOKE, HS_C_UNTYPED, D);
        op[5] = HS_INV(&e, HS_C_UNTYPED, MK_UNTYPED_RETYPE, MK_OBJ_CNODE, 8, CS, 22, 1);
        store = hs_store(&e, va, MARK | 6);
        hs_run_script(&e, &end);
        for (unsigned i = 0; i < 6; i++)
                hs_expect(&e, op[i], OK);
        hs_expect_fault(&e, &end, store, va);
        hs_probe(&e, va, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, table ? "revoke-mapped-table" : "revoke-mapped-frame");
        hs_env_finish(&e);
}

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

/* The child makes its own PML4 cap the parent of its TCB's VSpace and
 * revokes it: it runs on without an address space and faults at once. */
static void self_revoke_vspace(void)
{
        struct hs_env e;
        struct hs_end end;
        unsigned op[2];

        hs_env_start(&e);
        op[0] = HS_INV(&e, HS_C_TCB, MK_TCB_CONFIGURE, CS, PML4, HS_C_FAULT_EP);
        op[1] = HS_INV(&e, CS, MK_CNODE_REVOKE, PML4, D);
        hs_store(&e, HS_SCRIPT_VADDR + HS_PROBE, MARK | 8);
        hs_run_script(&e, &end);
        hs_expect(&e, op[0], OK);
        if (end.timeout || end.vector != 14 || end.addr != end.rip || end.index != op[1] ||
            end.rip < (uint64_t)(uintptr_t)child_script ||
            end.rip > (uint64_t)(uintptr_t)child_script_end)
                hs_fail(&e, "expected a fetch fault after the revoke: vector %lu rip 0x%lx "
                        "addr 0x%lx op %lu%s", (unsigned long)end.vector, (unsigned long)end.rip,
                        (unsigned long)end.addr, (unsigned long)end.index,
                        end.timeout ? " (no fault message)" : "");
        hs_probe(&e, HS_SCRIPT_VADDR, e.sc->count);
        hs_probe_common(&e);
        hs_case_end(&e, "self-revoke-vspace");
        hs_env_finish(&e);
}

/* The same with its CSpace: every lookup fails from then on, the thread
 * itself goes on. */
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
        hs_expect(&e, op[2], E(LOOKUP));
        hs_expect(&e, op[3], E(LOOKUP));
        hs_expect(&e, op[4], OK);
        hs_probe_common(&e);
        hs_case_end(&e, "self-revoke-cspace");
        hs_env_finish(&e);
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
        e.sc->index = 0;
        r = hs_start(&e, (uint64_t)(uintptr_t)child_script, HS_STACK_VADDR + 0x1000, 0);
        rt_watchdog_arm_ticks(1ull << 28);
        if (r == MK_OK)
                r = mku_recv(e.ep, reply, &m);
        rt_watchdog_disarm();
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

/* Map addresses: beyond the user half, non-canonical, unaligned, taken. */
static void map_addresses(void)
{
        const uint64_t f = HS_FREE_VADDR;
        struct bad { uint64_t cap, pml4, va, rights, attrs; uint32_t want; };
        const struct bad bad[] = {
                { HS_C_FRAME, PML4, 0x0000800000000000ull, RW, 0, E(RANGE) },
                { HS_C_FRAME, PML4, 0xffff800000000000ull, RW, 0, E(RANGE) },
                { HS_C_FRAME, PML4, 0xffffffff80100000ull, RW, 0, E(RANGE) },
                { HS_C_FRAME, PML4, ONES, RW, 0, E(RANGE) | E(ALIGNMENT) },
                { HS_C_FRAME, PML4, 0x00007ffffffff000ull, RW, 0, E(LOOKUP) },
                { HS_C_FRAME, PML4, f + 1, RW, 0, E(ALIGNMENT) },
                { HS_C_FRAME, PML4, HS_SCRIPT_VADDR, RW, 0, E(DELETE_FIRST) },
                { HS_C_FRAME, ONES, f, RW, 0, E(LOOKUP) | E(INVALID_CAP) },
                { HS_C_FRAME, HS_C_TCB, f, RW, 0, E(WRONG_TYPE) },
                { HS_C_FRAME, PML4, f, RW, 8, E(INVALID_ARG) },
                { HS_C_FRAME, PML4, f, MK_RIGHT_WRITE, 0, E(RIGHTS) },
                { HS_C_PT, PML4, A + 0x1000, ALL, 0, E(ALIGNMENT) },
                { HS_C_PT, PML4, 0x400000, ALL, 0, E(DELETE_FIRST) },
                { HS_C_PT, PML4, 0x0000800000000000ull, ALL, 0, E(RANGE) },
        };
        const unsigned n = sizeof(bad) / sizeof(bad[0]);
        unsigned op[sizeof(bad) / sizeof(bad[0])], good, again, taken, load;
        struct hs_env e;
        struct hs_end end;

        hs_env_start(&e);
        for (unsigned i = 0; i < n; i++)
                op[i] = HS_INV(&e, bad[i].cap, MK_PAGE_MAP, bad[i].pml4, bad[i].va,
                               bad[i].rights, bad[i].attrs);
        good = HS_INV(&e, HS_C_FRAME, MK_PAGE_MAP, PML4, f, RW, 0);
        hs_store(&e, f, MARK | 9);
        again = HS_INV(&e, HS_C_FRAME, MK_PAGE_MAP, PML4, f + 0x1000, RW, 0);
        taken = HS_INV(&e, HS_C_FRAME2, MK_PAGE_MAP, PML4, f, RW, 0);
        load = hs_load(&e, 0xffff800000100000ull);
        hs_run_script(&e, &end);
        for (unsigned i = 0; i < n; i++)
                hs_expect(&e, op[i], bad[i].want);
        hs_expect(&e, good, OK);
        hs_expect(&e, again, E(DELETE_FIRST));
        hs_expect(&e, taken, E(DELETE_FIRST));
        hs_expect_fault(&e, &end, load, 0xffff800000100000ull);
        hs_probe(&e, f, MARK | 9);
        hs_probe(&e, f + 0x1000, HS_FAULT);
        hs_probe(&e, 0x00007ffffffff000ull, HS_FAULT);
        hs_probe_common(&e);
        hs_case_end(&e, "map-bad-addresses");
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
        unsigned refused[4], ok[6], too_long, mint[2];
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
        hs_run_script(&e, &end);
        hs_expect_done(&e, &end);
        hs_expect(&e, refused[0], E(INVALID_CAP) | E(LOOKUP));
        hs_expect(&e, refused[1], E(WRONG_TYPE));
        hs_expect(&e, refused[2], E(LOOKUP) | E(INVALID_CAP));
        hs_expect(&e, refused[3], E(RIGHTS));
        for (unsigned i = 0; i < 6; i++)
                hs_expect(&e, ok[i], OK);
        hs_expect(&e, too_long, E(RANGE));
        hs_expect(&e, mint[0], OK);
        hs_expect(&e, mint[1], E(ILLEGAL_OP));
        hs_case_end(&e, "debug-output-spoof");
        hs_env_finish(&e);
}

void hs_cases_vm(void)
{
        table_copy();
        table_remap();
        table_copy_unmapped();
        table_stale_tlb();
        forge_cap();
        revoke_mapped(0);
        revoke_mapped(1);
        self_delete_tcb();
        self_delete_tcb_vspace();
        self_revoke_vspace();
        self_revoke_cspace();
        ipcbuf_midcall();
        map_addresses();
        ipcbuf_addresses();
        debug_spoof();
}
