/* tests/kernel/hostile.c: the core against a hostile thread, under ASan
 * and UBSan: every syscall number and every method of every object with
 * all registers and message registers at all-ones; retype, copy and mint
 * with sizes, depths and guards out of range (nothing may change); page
 * tables mapped twice through copies, unmapped and mapped again, and
 * memory revoked while mapped, with the page tables walked after every
 * step (each present entry is accounted for by exactly one cap, and every
 * address that stopped translating was flushed); a thread deleting its
 * own TCB (also holding the last cap to its PML4), and revoking its own
 * VSpace, while it runs; a revoke preempted again and again while another
 * thread deletes, unmaps, maps and retypes inside what it revokes. The same cases run booted in
 * tests/boot/direct-hostile.sh. */
#include "kt.h"

#define ONES (~0ull)
#define PTE_P 0x1ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull

static struct mk_tcb *root;

/* ---- all-ones registers ---- */

static uint64_t sys_ones(uint64_t nr, uint64_t cptr, uint64_t info)
{
        root->regs = (struct mk_regs){ nr, cptr, info, ONES, { ONES, ONES, ONES, ONES } };
        for (unsigned i = MK_MSG_REG_MRS; i < MK_MSG_MAX; i++)
                root->ipcbuf->mr[i] = ONES;
        mk_syscall(&kt_k);
        return root->regs.nr;
}

static void allones_checks(void)
{
        static const uint64_t nrs[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255,
                                        1ull << 32, 1ull << 63, ONES };
        static const uint64_t types[] = { MK_OBJ_UNTYPED, MK_OBJ_CNODE, MK_OBJ_ENDPOINT,
                                          MK_OBJ_NOTIFICATION, MK_OBJ_TCB, MK_OBJ_REPLY,
                                          MK_OBJ_FRAME, MK_OBJ_PML4, MK_OBJ_PDPT, MK_OBJ_PD,
                                          MK_OBJ_PT };
        uint64_t caps[sizeof(types) / sizeof(types[0])], r;
        unsigned bad = 0, n = 0;

        for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
                r = sys_ones(nrs[i], ONES, ONES);
                if (kt_k.cur != root || r >= MK_E_COUNT || (nrs[i] != MK_SYS_YIELD && r == MK_OK))
                        bad++;
        }
        is_int(bad, 0, "every syscall number, all registers ~0: an error, the caller runs on");
        is_int(sys_ones(ONES, ONES, ONES), MK_E_INVALID_SYSCALL, "nr ~0 is no syscall");
        for (unsigned t = 0; t < sizeof(types) / sizeof(types[0]); t++)
                caps[t] = kt_new(types[t], types[t] == MK_OBJ_UNTYPED ? 16 :
                                 types[t] == MK_OBJ_CNODE ? 4 :
                                 types[t] == MK_OBJ_FRAME ? 12 : 0, 1);
        bad = 0;
        for (unsigned t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
                for (uint64_t label = 0; label <= MK_LABEL_COUNT + 1; label++) {
                        /* a blocking send on an endpoint would stop the caller */
                        uint64_t nr = types[t] == MK_OBJ_ENDPOINT ? MK_SYS_NBSEND : MK_SYS_CALL;

                        r = sys_ones(nr, caps[t], mk_info(label, 3, MK_MSG_MAX));
                        n++;
                        if (kt_k.cur != root || r >= MK_E_COUNT)
                                bad++;
                }
                r = sys_ones(MK_SYS_NBRECV, caps[t], ONES);
                if (kt_k.cur != root || r >= MK_E_COUNT)
                        bad++;
        }
        is_int(bad, 0, "%u methods on every object type with all-ones arguments: "
               "an error or a harmless success", n);
        ok(kt_slot(caps[0])->cap.type == MK_OBJ_UNTYPED && kt_slot(caps[4])->cap.type == MK_OBJ_TCB,
           "the objects are still there");
}

/* ---- out-of-range sizes, depths, guards: errors, and nothing changes ---- */

static void range_checks(void)
{
        uint64_t ut = kt_new(MK_OBJ_UNTYPED, 16, 1), cn = kt_new(MK_OBJ_CNODE, 4, 1);
        uint64_t ep = kt_new(MK_OBJ_ENDPOINT, 0, 1), dst = kt_next, word;
        static const uint64_t bits[] = { 4, 17, 48, 63, 64, 1ull << 32, ONES };
        unsigned bad = 0;

        word = kt_slot(ut)->cap.word;
        for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
                bad += kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_UNTYPED, bits[i],
                              (uint64_t)KT_CNODE, dst, (uint64_t)1) != MK_E_RANGE;
        bad += kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_CNODE, (uint64_t)17,
                      (uint64_t)KT_CNODE, dst, (uint64_t)1) != MK_E_RANGE;
        bad += kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12,
                      (uint64_t)KT_CNODE, dst, ONES) != MK_E_RANGE;
        bad += kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12,
                      (uint64_t)KT_CNODE, ONES, (uint64_t)1) != MK_E_RANGE;
        bad += kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12,
                      (uint64_t)KT_CNODE, (uint64_t)1023, (uint64_t)2) != MK_E_RANGE;
        bad += kt_inv(ut, MK_UNTYPED_RETYPE, 5, ONES, (uint64_t)12, (uint64_t)KT_CNODE, dst,
                      (uint64_t)1) != MK_E_INVALID_ARG;
        is_int(bad, 0, "retype: sizes, counts and offsets out of range refused");
        ok(kt_slot(ut)->cap.word == word && kt_slot(dst)->cap.type == MK_OBJ_NULL,
           "the watermark and the slots did not move");

        bad = 0;
        for (uint64_t d = 0; d < 3; d++) {
                uint64_t depth = d == 0 ? 0 : d == 1 ? 65 : ONES;

                bad += kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, depth, ep, (uint64_t)64,
                              (uint64_t)MK_RIGHTS_ALL) != MK_E_RANGE;
                bad += kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, (uint64_t)64, ep, depth,
                              (uint64_t)MK_RIGHTS_ALL) != MK_E_RANGE;
                bad += kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, ep, depth) != MK_E_RANGE;
                bad += kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, ep, depth) != MK_E_RANGE;
        }
        bad += kt_inv(KT_CNODE, MK_CNODE_COPY, 5, ONES, (uint64_t)64, ep, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL) != MK_E_LOOKUP;
        bad += kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, (uint64_t)64, ep, (uint64_t)64,
                      ONES) != MK_E_INVALID_ARG;
        for (uint64_t gb = 61; gb < 64; gb++)           /* guard bits + radix 4 > 64 */
                bad += kt_inv(KT_CNODE, MK_CNODE_MINT, 6, dst, (uint64_t)64, cn, (uint64_t)64,
                              (uint64_t)MK_RIGHTS_ALL, gb << 58) != MK_E_RANGE;
        bad += kt_inv(KT_CNODE, MK_CNODE_MINT, 6, dst, (uint64_t)64, cn, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL, (3ull << 58) | 8) != MK_E_RANGE;
        bad += kt_inv(KT_CNODE, MK_CNODE_MINT, 6, dst, (uint64_t)64, ut, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL, (uint64_t)1) != MK_E_ILLEGAL_OP;
        is_int(bad, 0, "copy, mint, delete, revoke: depths, slots, rights and guards refused");
        ok(kt_slot(dst)->cap.type == MK_OBJ_NULL && kt_slot(ep)->cap.type == MK_OBJ_ENDPOINT,
           "no slot changed");
}

/* ---- page tables: every translation has exactly one cap ---- */

static struct { const uint64_t *space; uint64_t va; unsigned bits; } flushed[64];
static unsigned nflushed;

static void tlb_flush(const uint64_t *space, uint64_t vaddr, unsigned bits)
{
        if (nflushed < 64) {
                flushed[nflushed].space = space;
                flushed[nflushed].va = vaddr;
                flushed[nflushed].bits = bits;
        }
        nflushed++;
}

static const struct mk_arch_ops flush_ops = { .tlb_flush = tlb_flush };

static int was_flushed(const uint64_t *space, uint64_t va)
{
        for (unsigned j = 0; j < nflushed && j < 64; j++)
                if (flushed[j].space == space && (flushed[j].bits >= 64 ||
                    (va >> flushed[j].bits) == (flushed[j].va >> flushed[j].bits)))
                        return 1;
        return 0;
}

/* The caps whose mapping is entry e (in the root CNode, where every cap
 * of these checks lives). */
static unsigned caps_mapping(const uint64_t *e, struct mk_cap **ret)
{
        struct mk_cte *s = mk_cnode_slots(&kt_k.boot_slots[0].cap);
        unsigned n = 0;

        for (unsigned i = 0; i < 1u << 10; i++)
                if (s[i].cap.mapped == (uintptr_t)e && (n++, 1))
                        *ret = &s[i].cap;
        return n;
}

struct leaf { uint64_t va, pa; };
static struct leaf leaves[64];
static unsigned nleaves, unaccounted;

/* Walk the user half of pml4: each present entry must be the mapping of
 * exactly one cap; a frame's cap records the address and the frame. */
static void walk(uint64_t *t, unsigned shift, uint64_t base)
{
        struct mk_cap *c = NULL;

        for (unsigned i = 0; i < MK_TABLE_ENTRIES; i++) {
                uint64_t e = t[i], va = base | ((uint64_t)i << shift);
                int leaf = shift == 12 || (shift == 21 && (e & PTE_PS));

                if (!(e & PTE_P))
                        continue;
                if (caps_mapping(&t[i], &c) != 1 ||
                    (leaf && (c->type != MK_OBJ_FRAME || c->word != va ||
                              c->obj != (e & PTE_ADDR)))) {
                        unaccounted++;
                        continue;
                }
                if (leaf) {
                        if (nleaves < 64)
                                leaves[nleaves++] = (struct leaf){ va, e & PTE_ADDR };
                        continue;
                }
                walk((uint64_t *)(uintptr_t)(e & PTE_ADDR), shift - 9, va);
        }
}

/* After a step: the walk is clean, and every translation that went was
 * flushed. Returns 1 when both hold. */
static int step_ok(uint64_t pml4)
{
        struct leaf before[64];
        unsigned nbefore = nleaves, lost = 0;
        uint64_t *space = (uint64_t *)kt_slot(pml4)->cap.obj;

        memcpy(before, leaves, sizeof(before));
        nleaves = 0;
        unaccounted = 0;
        walk(space, 39, 0);
        for (unsigned i = 0; i < nbefore; i++) {
                int still = 0;

                for (unsigned j = 0; j < nleaves; j++)
                        still |= leaves[j].va == before[i].va && leaves[j].pa == before[i].pa;
                lost += !still && !was_flushed(space, before[i].va);
        }
        nflushed = 0;
        return unaccounted == 0 && lost == 0;
}

static uint64_t map(uint64_t cap, uint64_t pml4, uint64_t va)
{
        return kt_inv(cap, MK_PAGE_MAP, 4, pml4, va, (uint64_t)MK_RIGHTS_ALL, (uint64_t)0);
}

/* PML4, PDPT and PD for the first GiB: returns the PML4. */
static uint64_t space(void)
{
        uint64_t pml4 = kt_new(MK_OBJ_PML4, 0, 1), pdpt = kt_new(MK_OBJ_PDPT, 0, 1);
        uint64_t pd = kt_new(MK_OBJ_PD, 0, 1);

        if (map(pdpt, pml4, 0) != MK_OK || map(pd, pml4, 0) != MK_OK)
                return 0;
        nleaves = 0;
        return pml4;
}

static uint64_t copy(uint64_t src)
{
        uint64_t dst = kt_next++;

        if (kt_inv(KT_CNODE, MK_CNODE_COPY, 5, dst, (uint64_t)64, src, (uint64_t)64,
                   (uint64_t)MK_RIGHTS_ALL) != MK_OK)
                return 0;
        return dst;
}

#define A 0x600000ull
#define B 0x800000ull
#define C 0xa00000ull

static void table_checks(void)
{
        uint64_t pml4 = space(), pt = kt_new(MK_OBJ_PT, 0, 1), fr = kt_new(MK_OBJ_FRAME, 12, 1);
        uint64_t pt2, ok_steps = 1;

        kt_k.arch = &flush_ops;
        ok_steps &= map(pt, pml4, A) == MK_OK && step_ok(pml4);
        ok_steps &= map(fr, pml4, A) == MK_OK && step_ok(pml4);
        pt2 = copy(pt);
        ok(ok_steps && pt2, "a table and a frame mapped, the table's cap copied");
        ok(map(pt2, pml4, B) != MK_OK, "the copy cannot map the mapped table a second time");
        ok(step_ok(pml4), "page tables: every entry has one cap, every lost address flushed");
        ok(kt_inv(fr, MK_PAGE_UNMAP, 0) == MK_OK && step_ok(pml4), "frame unmapped and flushed");

        ok(map(fr, pml4, A + 0x1000) == MK_OK && step_ok(pml4), "frame mapped again");
        ok(kt_inv(pt, MK_PAGE_UNMAP, 0) == MK_OK && step_ok(pml4),
           "table unmapped with a frame in it: flushed");
        (void)map(pt, pml4, C);
        ok(step_ok(pml4) && nleaves == 0, "the table mapped elsewhere brings no old frame along");
        ok(kt_slot(fr)->cap.mapped == 0, "the frame's cap says unmapped");
        (void)kt_inv(pt, MK_PAGE_UNMAP, 0);
        ok(map(pt2, pml4, B) == MK_OK || map(pt, pml4, B) == MK_OK, "unmapped: it maps once more");
        ok(map(pt, pml4, C) != MK_OK && map(pt2, pml4, C) != MK_OK,
           "but not twice, through either cap");
        ok(step_ok(pml4), "page tables clean after the remaps");
        kt_k.arch = NULL;
}

/* Memory revoked while a frame and a table made from it are mapped. */
static void revoke_checks(void)
{
        uint64_t pml4 = space(), ut = kt_new(MK_OBJ_UNTYPED, 16, 1), pt = kt_next;
        uint64_t fr = pt + 1, cn = pt + 2;

        kt_next += 3;
        kt_k.arch = &flush_ops;
        ok(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_PT, (uint64_t)0, (uint64_t)KT_CNODE,
                  pt, (uint64_t)1) == MK_OK &&
           kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_FRAME, (uint64_t)12,
                  (uint64_t)KT_CNODE, fr, (uint64_t)1) == MK_OK &&
           map(pt, pml4, B) == MK_OK && map(fr, pml4, B) == MK_OK && step_ok(pml4),
           "a table and a frame from one Untyped, mapped");
        ok(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, ut, (uint64_t)64) == MK_OK && step_ok(pml4) &&
           nleaves == 0, "revoked while mapped: no entry left, the frame's address flushed");
        ok(kt_inv(ut, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_CNODE, (uint64_t)8,
                  (uint64_t)KT_CNODE, cn, (uint64_t)1) == MK_OK && step_ok(pml4),
           "the memory reused for a CNode: still nothing translates to it");
        kt_k.arch = NULL;
}

/* ---- revoke interleaved with other work ---- */

static unsigned pending_every, pending_calls;

/* "An interrupt waits" at every pending_every-th preemption point. */
static bool irq_pending(void)
{
        return pending_every && ++pending_calls % pending_every == 0;
}

static void no_restart(struct mk_tcb *t)
{
        (void)t;
}

static const struct mk_arch_ops preempt_ops = { .tlb_flush = tlb_flush,
                                                .irq_pending = irq_pending,
                                                .restart = no_restart };

static uint64_t revoke(uint64_t slot)
{
        return kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, slot, (uint64_t)64);
}

static uint64_t retype(uint64_t ut, uint64_t type, uint64_t bits, uint64_t slot, uint64_t n)
{
        return kt_inv(ut, MK_UNTYPED_RETYPE, 5, type, bits, (uint64_t)KT_CNODE, slot, n);
}

/* What another thread does between two runs of a preempted revoke, in
 * the subtree being revoked: each may work or fail (its cap may be gone
 * already), none may leave a translation or a cap of the memory behind. */
static unsigned meddle(unsigned run, uint64_t pml4, uint64_t sub, uint64_t pt, uint64_t fr,
                   uint64_t ep, uint64_t made)
{
        unsigned n = 0;

        switch (run % 5) {
        case 0:
                (void)kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, ep + run % 32, (uint64_t)64);
                break;
        case 1:
                (void)kt_inv(fr + 3, MK_PAGE_UNMAP, 0);
                n += MK_OK == map(fr + 3, pml4, B + 0x10000);
                break;
        case 2:
                n += MK_OK == retype(sub, MK_OBJ_FRAME, 12, made, 1);
                n += MK_OK == map(made, pml4, B + 0x11000);
                break;
        case 3:
                (void)kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, made, (uint64_t)64);
                break;
        default:
                (void)kt_inv(pt, MK_PAGE_UNMAP, 0);
                n += MK_OK == map(pt, pml4, run & 1 ? C : B);
                break;
        }
        return n;
}

/* An Untyped holding a child Untyped, a PT with four frames mapped and 32
 * endpoints, revoked with an interrupt at every other preemption point
 * and meddle() between the runs. */
static void interleaved_revoke_checks(void)
{
        uint64_t pml4 = space(), ut = kt_new(MK_OBJ_UNTYPED, 18, 1);
        uint64_t sub = kt_next, pt = sub + 1, fr = sub + 2, ep = sub + 6, made = sub + 38;
        unsigned runs = 0, steps = 1, left = 0, worked = 0;
        uint64_t r;

        kt_next += 39;
        kt_k.arch = &flush_ops;
        r = retype(ut, MK_OBJ_UNTYPED, 14, sub, 1) | retype(ut, MK_OBJ_PT, 0, pt, 1) |
            retype(ut, MK_OBJ_FRAME, 12, fr, 4) | retype(ut, MK_OBJ_ENDPOINT, 0, ep, 32) |
            map(pt, pml4, B);
        for (unsigned i = 0; i < 4; i++)
                r |= map(fr + i, pml4, B + i * 0x1000);
        ok(r == MK_OK && step_ok(pml4) && nleaves == 4,
           "an Untyped: a child Untyped, a PT with 4 frames mapped, 32 endpoints");
        kt_k.arch = &preempt_ops;
        pending_every = 2;
        r = revoke(ut);
        while (kt_k.preempted && runs < 10000) {
                pending_every = 0;
                worked += meddle(runs++, pml4, sub, pt, fr, ep, made);
                steps &= step_ok(pml4);
                pending_every = 2;
                r = revoke(ut);
        }
        pending_every = 0;
        ok(!kt_k.preempted && r == MK_OK && runs > 10 && worked > 5,
           "the revoke ends after %u preemptions, %u maps and retypes of another thread's between",
           runs, worked);
        ok(steps && step_ok(pml4), "after every step each entry has one cap, lost addresses flushed");
        ok(nleaves == 0, "nothing translates to the Untyped's memory");
        for (uint64_t s = sub; s <= made; s++)
                left += kt_slot(s)->cap.type != MK_OBJ_NULL;
        ok(left == 0 && !mk_mdb_has_children(kt_slot(ut)), "no cap of its memory is left");
        is_int(retype(ut, MK_OBJ_CNODE, 10, sub, 1), MK_OK, "its memory is retyped again");
        kt_k.arch = NULL;
}

/* ---- deleting itself ---- */

static int queued(const struct mk_tcb *t)
{
        for (unsigned p = 0; p < MK_NUM_PRIOS; p++)
                for (const struct mk_tcb *q = kt_k.ready[p].head; q; q = q->sched_next)
                        if (q == t)
                                return 1;
        return 0;
}

/* A thread at the root's priority runs while the root waits one below;
 * returns its TCB. */
static struct mk_tcb *runner(uint64_t *ret_cptr, uint64_t vspace, int drop_vspace)
{
        uint64_t prio = root->prio, t = kt_thread((uint8_t)prio);

        if (!t || (vspace && kt_inv(t, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, vspace) != MK_OK))
                return NULL;
        /* the TCB's VSpace slot keeps the last cap to the PML4 */
        if (drop_vspace && kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, vspace, (uint64_t)64) != MK_OK)
                return NULL;
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, prio - 1);
        kt_inv(t, MK_TCB_RESUME, 0);
        *ret_cptr = t;
        return kt_tcb(t);
}

static void self_checks(void)
{
        uint64_t t, pml4 = kt_new(MK_OBJ_PML4, 0, 1);
        struct mk_tcb *T = runner(&t, 0, 0);

        ok(T && kt_k.cur == T, "a thread runs");
        (void)kt_sys(T, MK_SYS_CALL, KT_CNODE, 0, mk_info(MK_CNODE_DELETE, 0, 2),
                     (const uint64_t[]){ t, 64 });
        ok(kt_k.cur == root && !queued(T) && T->state == MK_TS_INACTIVE,
           "it deleted the only cap to its own TCB: the root runs, the thread is in no queue");
        ok(kt_slot(t)->cap.type == MK_OBJ_NULL && T->slots[MK_TCB_CTABLE].cap.type == MK_OBJ_NULL,
           "its slot and its TCB's slots are empty");

        T = runner(&t, kt_new(MK_OBJ_PML4, 0, 1), 1);
        ok(T && kt_k.cur == T && T->slots[MK_TCB_VTABLE].cap.type == MK_OBJ_PML4,
           "a thread runs on a PML4 whose last cap its TCB holds");
        (void)kt_sys(T, MK_SYS_CALL, KT_CNODE, 0, mk_info(MK_CNODE_DELETE, 0, 2),
                     (const uint64_t[]){ t, 64 });
        ok(kt_k.cur == root && !queued(T) && T->slots[MK_TCB_VTABLE].cap.type == MK_OBJ_NULL,
           "it deletes its TCB: the PML4 goes with it, the root runs");

        T = runner(&t, pml4, 0);
        ok(T && kt_k.cur == T && T->slots[MK_TCB_VTABLE].cap.type == MK_OBJ_PML4,
           "a thread runs in its own VSpace");
        is_int(kt_sys(T, MK_SYS_CALL, KT_CNODE, 0, mk_info(MK_CNODE_REVOKE, 0, 2),
                      (const uint64_t[]){ pml4, 64 }), MK_OK, "it revokes its VSpace");
        ok(kt_k.cur == T && T->slots[MK_TCB_VTABLE].cap.type == MK_OBJ_NULL,
           "it runs on without one");
        is_int(kt_sys(T, MK_SYS_CALL, KT_CNODE, 0, mk_info(MK_CNODE_DELETE, 0, 2),
                      (const uint64_t[]){ pml4, 64 }), MK_OK, "and deletes the PML4");
        mk_tcb_suspend(&kt_k, T);
        mk_schedule(&kt_k);
        ok(kt_k.cur == root, "root back");
}

int main(void)
{
        kt_boot();
        root = kt_root();
        allones_checks();
        range_checks();
        table_checks();
        revoke_checks();
        interleaved_revoke_checks();
        self_checks();
        return tap_done();
}
