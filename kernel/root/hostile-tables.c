/* kernel/root/hostile-tables.c: hostile page-table management. Page
 * tables mapped twice through a copy of their cap, unmapped and mapped
 * again elsewhere, a stale TLB entry after a frame's unmapping, the whole
 * forged-cap attack of issue 16, memory revoked and reused while it is
 * mapped, map addresses out of bounds. The probes after each case read
 * through every address the child mapped or touched: each must give the
 * word its caps say is there, or fault. */
#include "hostile-test.h"

#define A HS_REGION_A
#define B HS_REGION_B
#define C HS_REGION_C

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
        if (!end.timeout && end.vector == HS_VEC_END)
                hs_fail(&e, "after the frame's unmapping B still read 0x%lx",
                        (unsigned long)e.sc->op[second].out_nr);
        else if (end.timeout || end.vector != HS_VEC_PF || end.addr != B ||
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

void hs_cases_tables(void)
{
        table_copy();
        table_remap();
        table_copy_unmapped();
        table_stale_tlb();
        forge_cap();
        revoke_mapped(0);
        revoke_mapped(1);
        map_addresses();
}
