/* tests/kernel/untyped.c: retype from untyped memory: sizes, alignment,
 * the watermark, exhaustion, argument errors and reuse after revoke. */
#include "kt.h"

static uint64_t retype(uint64_t ut, uint64_t type, uint64_t bits, uint64_t off, uint64_t n)
{
        return kt_inv(ut, MK_UNTYPED_RETYPE, 5, type, bits, (uint64_t)KT_CNODE, off, n);
}

int main(void)
{
        uint64_t ut, sub, ep, tcb, cn, obj0;

        kt_boot();
        ok(kt_bi.untyped_count > 0, "boot made untyped caps (%llu)",
           (unsigned long long)kt_bi.untyped_count);
        ut = kt_ut;
        is_int(kt_slot(ut)->cap.type, MK_OBJ_UNTYPED, "first untyped slot holds an untyped cap");

        /* split off a 64 KiB untyped to work in */
        sub = kt_next++;
        is_int(retype(ut, MK_OBJ_UNTYPED, 16, sub, 1), MK_OK, "retype a 64 KiB untyped");
        is_int(kt_slot(sub)->cap.bits, 16, "child untyped has 16 bits");
        is_int(kt_slot(sub)->depth, kt_slot(ut)->depth + 1, "child is one level deeper");

        ep = kt_next;
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, ep, 3), MK_OK, "three endpoints");
        obj0 = kt_slot(ep)->cap.obj;
        is_int(kt_slot(ep + 1)->cap.obj - obj0, 1u << MK_EP_BITS, "endpoints are adjacent");
        is_int(kt_slot(sub)->cap.word, 3u << MK_EP_BITS, "watermark after three endpoints");
        kt_next += 3;

        tcb = kt_next++;
        is_int(retype(sub, MK_OBJ_TCB, 0, tcb, 1), MK_OK, "a TCB");
        is_int(kt_slot(tcb)->cap.obj & ((1u << MK_TCB_BITS) - 1), 0, "TCB aligned to its size");
        is_int(kt_slot(tcb)->cap.obj - obj0, 1u << MK_TCB_BITS, "TCB placed at the next aligned offset");
        ok(sizeof(struct mk_tcb) <= (1u << MK_TCB_BITS), "struct mk_tcb fits its object size");

        cn = kt_next++;
        is_int(retype(sub, MK_OBJ_CNODE, 4, cn, 1), MK_OK, "a 16-slot CNode");
        is_int(kt_slot(cn)->cap.bits, 4, "CNode radix recorded");

        /* errors, each leaving the watermark alone */
        uint64_t wm = kt_slot(sub)->cap.word;
        is_int(retype(sub, 0, 0, kt_next, 1), MK_E_INVALID_ARG, "type 0 rejected");
        is_int(retype(sub, 99, 0, kt_next, 1), MK_E_INVALID_ARG, "unknown type rejected");
        is_int(retype(sub, MK_OBJ_CNODE, 0, kt_next, 1), MK_E_RANGE, "CNode radix 0 rejected");
        is_int(retype(sub, MK_OBJ_CNODE, 17, kt_next, 1), MK_E_RANGE, "CNode radix 17 rejected");
        is_int(retype(sub, MK_OBJ_FRAME, 13, kt_next, 1), MK_E_RANGE, "frame size 13 rejected");
        is_int(retype(sub, MK_OBJ_UNTYPED, 17, kt_next, 1), MK_E_RANGE, "child larger than parent rejected");
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, kt_next, 0), MK_E_RANGE, "count 0 rejected");
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, kt_next, 257), MK_E_RANGE, "count 257 rejected");
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, 1023, 2), MK_E_RANGE, "destination past the CNode end");
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, UINT64_MAX, 1), MK_E_RANGE, "huge offset rejected");
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, ep, 1), MK_E_DELETE_FIRST, "occupied destination");
        is_int(kt_inv(sub, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_ENDPOINT, (uint64_t)0, ep,
                      kt_next, (uint64_t)1), MK_E_WRONG_TYPE, "destination cap not a CNode");
        is_int(kt_inv(sub, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_ENDPOINT, (uint64_t)0,
                      (uint64_t)1000, kt_next, (uint64_t)1), MK_E_INVALID_CAP, "destination slot empty");
        is_int(kt_inv(sub, 77, 0), MK_E_INVALID_ARG, "unknown untyped method");
        is_int(kt_inv(KT_CNODE, MK_CNODE_COPY, 5, kt_next, (uint64_t)64, sub, (uint64_t)64,
                      (uint64_t)MK_RIGHTS_ALL), MK_E_ILLEGAL_OP, "untyped caps cannot be copied");
        is_int(kt_slot(sub)->cap.word, wm, "failed retypes leave the watermark");

        /* exhaustion: 8 KiB are used (endpoints, TCB, CNode), 56 KiB are left */
        is_int(retype(sub, MK_OBJ_FRAME, 12, kt_next, 15), MK_E_NO_MEMORY, "15 frames do not fit after 8 KiB used");
        is_int(retype(sub, MK_OBJ_FRAME, 12, kt_next, 14), MK_OK, "14 frames fit");
        uint64_t frames = kt_next;
        kt_next += 14;
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, kt_next, 1), MK_E_NO_MEMORY, "untyped full");

        /* revoke: all children go, the watermark restarts, memory is reused */
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, sub, (uint64_t)64), MK_OK, "revoke the untyped");
        ok(kt_slot(ep)->cap.type == MK_OBJ_NULL && kt_slot(tcb)->cap.type == MK_OBJ_NULL &&
           kt_slot(cn)->cap.type == MK_OBJ_NULL && kt_slot(frames + 13)->cap.type == MK_OBJ_NULL,
           "revoke removed every object cap");
        ok(!mk_mdb_has_children(kt_slot(sub)), "untyped has no children left");
        is_int(retype(sub, MK_OBJ_FRAME, 12, ep, 1), MK_OK, "retype after revoke");
        is_int(kt_slot(ep)->cap.obj, obj0, "memory reused from the start");
        is_int(kt_slot(sub)->cap.word, 1u << 12, "watermark restarted");
        return tap_done();
}
