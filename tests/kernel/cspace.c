/* tests/kernel/cspace.c: guarded-radix lookup, copy/mint/move, and the
 * derivation tree: copies of a copy are siblings (a long chain of them
 * too), a badged mint is a subtree of its own, delete hands children to
 * the parent, revoke removes all descendants, the last cap's deletion
 * finalises the object (and empties CNodes, nested ones too). */
#include "kt.h"

static uint64_t cnode_op(uint64_t label, uint64_t d, uint64_t s, uint64_t rights, uint64_t w)
{
        return kt_inv(KT_CNODE, label, 6, d, (uint64_t)64, s, (uint64_t)64, rights, w);
}

static uint64_t del(uint64_t slot) { return kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, slot, (uint64_t)64); }
static uint64_t rev(uint64_t slot) { return kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, slot, (uint64_t)64); }

/* Badges split an endpoint's tree: ep, its copy e1 and e2 (badge 7,
 * minted from e1) are there. Deleting a badged original hands its copies
 * to ep, not to another original of the same badge; revoke removes all. */
static void badges(uint64_t ep, uint64_t e1, uint64_t e2, uint64_t e3)
{
        uint64_t e4 = kt_next++, e5 = kt_next++;

        is_int(cnode_op(MK_CNODE_COPY, e3, e2, MK_RIGHTS_ALL, 0), MK_OK, "copy the badged cap");
        ok(kt_descends(kt_slot(e2), kt_slot(e3)) && !kt_slot(e3)->revocable,
           "a copy of a badged original is its child");
        is_int(cnode_op(MK_CNODE_MINT, e4, e1, MK_RIGHTS_ALL, 7), MK_OK, "mint badge 7 a second time");
        ok(!kt_descends(kt_slot(e4), kt_slot(e2)), "a second original is not the first one's parent");
        is_int(del(e2), MK_OK, "delete the first badge-7 original");
        ok(kt_descends(kt_slot(ep), kt_slot(e3)) && !kt_descends(kt_slot(e4), kt_slot(e3)),
           "its copy is the endpoint's child now, not the other original's");
        is_int(rev(e4), MK_OK, "revoke the other badge-7 original");
        is_int(kt_slot(e3)->cap.type, MK_OBJ_ENDPOINT, "which leaves the copy");
        is_int(cnode_op(MK_CNODE_COPY, e5, e1, MK_RIGHTS_ALL, 0), MK_OK, "copy of a copy");
        ok(!mk_mdb_has_children(kt_slot(e1)) && kt_descends(kt_slot(ep), kt_slot(e5)),
           "is a sibling: the endpoint's child");
        is_int(rev(e1), MK_OK, "revoke a copy");
        is_int(kt_slot(e5)->cap.type, MK_OBJ_ENDPOINT, "removes nothing: a copy has no children");
        is_int(del(e1), MK_OK, "delete a copy");
        ok(kt_descends(kt_slot(ep), kt_slot(e5)) && kt_descends(kt_slot(ep), kt_slot(e3)),
           "the others stay the endpoint's children");
        is_int(rev(ep), MK_OK, "revoke the endpoint");
        ok(kt_slot(e3)->cap.type == MK_OBJ_NULL && kt_slot(e4)->cap.type == MK_OBJ_NULL &&
           kt_slot(e5)->cap.type == MK_OBJ_NULL, "revoke removed every descendant");
        ok(kt_slot(ep)->cap.type == MK_OBJ_ENDPOINT && !mk_mdb_has_children(kt_slot(ep)),
           "revoked cap remains, childless");
}

/* A chain of copies, each made from the one before: all siblings, the
 * endpoint's children; deleting any one touches only its neighbours. */
static void chain(uint64_t ep)
{
        enum { N = 64 };
        uint64_t c = kt_next;
        unsigned bad = 0;

        kt_next += N;
        for (unsigned i = 0; i < N; i++)
                bad += cnode_op(MK_CNODE_COPY, c + i, i ? c + i - 1 : ep, MK_RIGHTS_ALL, 0) != MK_OK;
        for (unsigned i = 0; i < N; i++)
                bad += mk_mdb_has_children(kt_slot(c + i)) || !kt_descends(kt_slot(ep), kt_slot(c + i));
        is_int(bad, 0, "a chain of %u copies: siblings, all the endpoint's children", N);
        is_int(del(c), MK_OK, "delete the chain's first copy");
        ok(kt_slot(c + 1)->prev && kt_slot(c + 1)->prev->next == kt_slot(c + 1) &&
           kt_descends(kt_slot(ep), kt_slot(c + N - 1)), "the rest stays in place");
        is_int(rev(c + 1), MK_OK, "revoke the second");
        is_int(kt_slot(c + 2)->cap.type, MK_OBJ_ENDPOINT, "removes none of the copies after it");
        is_int(rev(ep), MK_OK, "revoke the endpoint");
        for (unsigned i = 1; i < N; i++)
                bad += kt_slot(c + i)->cap.type != MK_OBJ_NULL;
        is_int(bad, 0, "removes the whole chain");
}

int main(void)
{
        struct mk_cte *r;
        struct mk_tcb *zt;
        struct mk_cte *cn3_slots;
        uint64_t ep, e1, e2, e3, tcb, top, cn2, x, y, th, z, cn3;

        kt_boot();
        ep = kt_new(MK_OBJ_ENDPOINT, 0, 1);
        tcb = kt_new(MK_OBJ_TCB, 0, 1);
        e1 = kt_next++; e2 = kt_next++; e3 = kt_next++;

        /* copy and mint */
        is_int(cnode_op(MK_CNODE_COPY, e1, ep, MK_RIGHT_READ | MK_RIGHT_WRITE, 0), MK_OK, "copy");
        is_int(kt_slot(e1)->cap.rights, MK_RIGHT_READ | MK_RIGHT_WRITE, "copy masks rights");
        is_int(cnode_op(MK_CNODE_MINT, e2, e1, MK_RIGHTS_ALL, 7), MK_OK, "mint with badge");
        ok(kt_slot(e2)->cap.word == 7 && kt_slot(e2)->cap.rights == (MK_RIGHT_READ | MK_RIGHT_WRITE),
           "mint sets the badge and cannot add rights");
        is_int(cnode_op(MK_CNODE_MINT, e3, e2, MK_RIGHTS_ALL, 8), MK_E_ILLEGAL_OP, "badge set only once");
        is_int(cnode_op(MK_CNODE_MINT, e3, tcb, MK_RIGHTS_ALL, 8), MK_E_INVALID_ARG, "no badge on a TCB");
        is_int(cnode_op(MK_CNODE_COPY, e3, ep, 0x10, 0), MK_E_INVALID_ARG, "unknown rights bit");
        is_int(cnode_op(MK_CNODE_COPY, e1, ep, MK_RIGHTS_ALL, 0), MK_E_DELETE_FIRST, "copy onto a full slot");
        is_int(cnode_op(MK_CNODE_COPY, e3, 1000, MK_RIGHTS_ALL, 0), MK_E_INVALID_CAP, "copy from an empty slot");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, e3, (uint64_t)0, ep, (uint64_t)64, (uint64_t)15),
               MK_E_RANGE, "depth 0");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, e3, (uint64_t)65, ep, (uint64_t)64, (uint64_t)15),
               MK_E_RANGE, "depth 65");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, e3, (uint64_t)10, ep, (uint64_t)64, (uint64_t)15),
               MK_E_LOOKUP, "depth shorter than the root level");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, e3 | (1ull << 40), (uint64_t)64, ep, (uint64_t)64,
                      (uint64_t)15), MK_E_LOOKUP, "guard mismatch");
        ok(!mk_mdb_has_children(kt_slot(e1)), "a copy has no children");
        ok(kt_descends(kt_slot(ep), kt_slot(e2)) && kt_slot(e2)->revocable,
           "a badged mint of a copy is the original's child and may have its own");

        /* two-level guarded radix lookup */
        top = kt_new(MK_OBJ_CNODE, 4, 1);
        cn2 = kt_new(MK_OBJ_CNODE, 4, 1);
        x = kt_next++;
        is_int(cnode_op(MK_CNODE_MINT, x, top, MK_RIGHTS_ALL, (2ull << 58) | 2), MK_OK,
               "mint a CNode cap with guard 10b");
        mk_cnode_slots(&kt_slot(top)->cap)[3] = (struct mk_cte){ 0 };
        is_int(kt_inv(KT_CNODE, MK_CNODE_MOVE, 4, x, (uint64_t)64, x, (uint64_t)64), MK_E_DELETE_FIRST,
               "move onto itself");
        is_int(cnode_op(MK_CNODE_MINT, kt_next, cn2, MK_RIGHTS_ALL, (61ull << 58)), MK_E_RANGE,
               "guard longer than 64 - radix");
        is_int(cnode_op(MK_CNODE_MINT, kt_next, cn2, MK_RIGHTS_ALL, (2ull << 58) | 4), MK_E_RANGE,
               "guard value wider than its bits");
        /* put cn2 into slot 3 of top, through the nested address (x: 6 bits) */
        is_int(kt_inv(x, MK_CNODE_COPY, 5, (uint64_t)0x23, (uint64_t)6, (uint64_t)0x25, (uint64_t)6,
                      (uint64_t)15), MK_E_INVALID_CAP, "nested source slot empty");
        y = kt_next++;
        is_int(kt_inv(KT_CNODE, MK_CNODE_MOVE, 4, y, (uint64_t)64, cn2, (uint64_t)64), MK_OK, "move cn2");
        ok(kt_slot(cn2)->cap.type == MK_OBJ_NULL && kt_slot(y)->cap.type == MK_OBJ_CNODE, "move empties the source");
        is_int(mk_lookup_slot(kt_slot(x), 0x23, 6, true, &r), MK_OK, "resolve 10b.0011");
        ok(r == mk_cnode_slots(&kt_slot(top)->cap) + 3, "slot 3 of top");
        *r = (struct mk_cte){ 0 };
        mk_mdb_insert_child(kt_slot(y), r, &kt_slot(y)->cap);
        is_int(mk_lookup_slot(kt_slot(x), 0x235, 10, true, &r), MK_OK, "resolve 10b.0011.0101");
        ok(r == mk_cnode_slots(&kt_slot(y)->cap) + 5, "slot 5 of the second level");
        is_int(mk_lookup_slot(kt_slot(x), 0x135, 10, true, &r), MK_E_LOOKUP, "wrong guard");
        is_int(mk_lookup_slot(kt_slot(x), 0x23, 7, true, &r), MK_E_LOOKUP, "depth ends inside a level");
        is_int(mk_lookup_slot(kt_slot(x), 0x235, 65, true, &r), MK_E_RANGE, "depth above 64");
        is_int(kt_inv(x, MK_CNODE_COPY, 5, (uint64_t)0x235, (uint64_t)10, (uint64_t)0x23, (uint64_t)6,
                      (uint64_t)15), MK_OK, "copy addressed through two levels");
        mk_cte_delete(&kt_k, mk_cnode_slots(&kt_slot(y)->cap) + 5);
        mk_cte_delete(&kt_k, mk_cnode_slots(&kt_slot(top)->cap) + 3);

        badges(ep, e1, e2, e3);
        chain(ep);
        is_int(del(1000), MK_OK, "delete of an empty slot is a no-op");

        /* last cap: a thread waiting on the endpoint is aborted */
        th = kt_thread(100);
        kt_inv(kt_bi.tcb_cptr, MK_TCB_SET_PRIORITY, 1, (uint64_t)0);
        kt_inv(th, MK_TCB_RESUME, 0);
        kt_sys(kt_tcb(th), MK_SYS_RECV, ep, 0, 0, NULL);
        is_int(kt_tcb(th)->state, MK_TS_BLOCKED_RECV, "thread waits on the endpoint");
        ok(kt_k.cur == kt_root(), "root runs");
        is_int(del(ep), MK_OK, "delete the last endpoint cap");
        ok(kt_k.cur == kt_tcb(th) && kt_tcb(th)->regs.nr == MK_E_ABORTED, "waiter woken with MK_E_ABORTED");
        kt_sys(kt_tcb(th), MK_SYS_RECV, th, 0, 0, NULL);
        kt_sys(kt_tcb(th), MK_SYS_RECV, ep, 0, 0, NULL);
        is_int(kt_tcb(th)->regs.nr, MK_E_INVALID_CAP, "the slot is empty now");
        kt_inv(th, MK_TCB_SUSPEND, 0);

        /* cascade: a CNode holding a CNode holding the last cap of a ready TCB */
        z = kt_new(MK_OBJ_TCB, 0, 1);
        cn3 = kt_new(MK_OBJ_CNODE, 2, 1);
        zt = kt_tcb(z);
        cn3_slots = mk_cnode_slots(&kt_slot(cn3)->cap);
        kt_inv(z, MK_TCB_RESUME, 0);
        is_int(zt->state, MK_TS_READY, "thread z ready at prio 0");
        mk_mdb_move(mk_cnode_slots(&kt_slot(y)->cap) + 1, kt_slot(z));
        mk_mdb_move(mk_cnode_slots(&kt_slot(top)->cap) + 2, kt_slot(y));
        mk_mdb_move(mk_cnode_slots(&kt_slot(cn3)->cap) + 0, kt_slot(x));
        is_int(del(top), MK_OK, "delete one cap of the outer CNode (not the last)");
        ok(mk_cnode_slots(&kt_slot(cn3)->cap)[0].cap.type == MK_OBJ_CNODE, "the other cap still there");
        is_int(del(cn3), MK_OK, "delete the CNode holding the last cap of top");
        ok(zt->state == MK_TS_INACTIVE && kt_k.ready[0].head == NULL,
           "nested deletion finalised the thread");
        ok(kt_k.zombies == NULL, "no zombie left");
        is_int(cn3_slots[0].cap.type, MK_OBJ_NULL, "CNode emptied");
        return tap_done();
}
