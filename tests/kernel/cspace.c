/* tests/kernel/cspace.c: guarded-radix lookup, copy/mint/move, and the
 * derivation tree: delete hands children to the parent, revoke removes all
 * descendants, the last cap's deletion finalises the object (and empties
 * CNodes, nested ones too). */
#include "kt.h"

static uint64_t cnode_op(uint64_t label, uint64_t d, uint64_t s, uint64_t rights, uint64_t w)
{
        return kt_inv(KT_CNODE, label, 6, d, (uint64_t)64, s, (uint64_t)64, rights, w);
}

static uint64_t del(uint64_t slot) { return kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, slot, (uint64_t)64); }
static uint64_t rev(uint64_t slot) { return kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, slot, (uint64_t)64); }

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
        is_int(kt_slot(e2)->depth, kt_slot(ep)->depth + 2, "mint of a copy is a grandchild");

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

        /* delete hands children to the parent; revoke removes all */
        is_int(del(e1), MK_OK, "delete the middle cap");
        is_int(kt_slot(e2)->depth, kt_slot(ep)->depth + 1, "grandchild moved up");
        ok(kt_slot(ep)->next == kt_slot(e2), "and follows its new parent");
        is_int(cnode_op(MK_CNODE_COPY, e1, e2, MK_RIGHTS_ALL, 0), MK_OK, "copy again");
        is_int(rev(ep), MK_OK, "revoke the endpoint");
        ok(kt_slot(e1)->cap.type == MK_OBJ_NULL && kt_slot(e2)->cap.type == MK_OBJ_NULL,
           "revoke removed every descendant");
        ok(kt_slot(ep)->cap.type == MK_OBJ_ENDPOINT && !mk_mdb_has_children(kt_slot(ep)),
           "revoked cap remains, childless");
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
