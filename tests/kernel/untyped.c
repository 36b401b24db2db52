/* tests/kernel/untyped.c: retype from untyped memory: sizes, alignment,
 * the watermark, exhaustion, argument errors and reuse after revoke; then
 * the preemption points: retype's zeroing and revoke stopped by an
 * interrupt every few steps, re-run until done, end where one run would. */
#include "kt.h"

static unsigned pending_every, pending_calls;

/* "An interrupt waits" at every pending_every-th preemption point. */
static bool irq_pending(void)
{
        return pending_every && ++pending_calls % pending_every == 0;
}

static unsigned restarts;

static void restart(struct mk_tcb *t)
{
        (void)t;
        restarts++;
}

static const struct mk_arch_ops preempt_ops = { .irq_pending = irq_pending,
                                                .restart = restart };

static uint64_t retype(uint64_t ut, uint64_t type, uint64_t bits, uint64_t off, uint64_t n)
{
        return kt_inv(ut, MK_UNTYPED_RETYPE, 5, type, bits, (uint64_t)KT_CNODE, off, n);
}

/* The running thread's syscall again while the kernel says it was
 * preempted (as the thread does after the interrupt); the number of runs. */
static unsigned rerun(void)
{
        struct mk_tcb *t = kt_k.cur;
        uint64_t nr = t->regs.nr;
        unsigned runs = 1, kept = 0;

        while (kt_k.preempted && runs < 100000) {
                kept += t->regs.nr == nr && kt_k.cur == t;
                mk_syscall(&kt_k);
                runs++;
        }
        is_int(kept, runs - 1, "while preempted, the syscall number stays and the thread runs");
        return runs;
}

static bool zero(const unsigned char *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (p[i])
                        return false;
        return true;
}

static void preempt_checks(uint64_t ut)
{
        uint64_t sub = kt_next++, cn, f;
        unsigned char *mem;
        unsigned runs;

        is_int(retype(ut, MK_OBJ_UNTYPED, 20, sub, 1), MK_OK, "a 1 MiB untyped");
        mem = (unsigned char *)kt_slot(sub)->cap.obj;
        memset(mem, 0xa5, 1u << 20);            /* dirty: zeroing must happen */
        kt_k.arch = &preempt_ops;
        pending_every = 3;
        f = kt_next;
        kt_next += 8;
        (void)retype(sub, MK_OBJ_CNODE, 11, f, 3);
        runs = rerun();
        is_int(kt_root()->regs.nr, MK_OK, "preempted retype of three 128 KiB CNodes ends");
        ok(runs > 10 && restarts == runs - 1, "it stopped for interrupts (%u runs)", runs);
        ok(zero(mem, 3u << 17), "all their memory is zero");
        ok(mem[3u << 17] == 0xa5, "and nothing beyond");
        is_int(kt_slot(f + 2)->cap.type, MK_OBJ_CNODE, "three CNodes made");
        is_int(kt_slot(f + 3)->cap.type, MK_OBJ_NULL, "not more");
        is_int(kt_slot(sub)->cap.word, 3u << 17, "watermark after them");

        /* A preempted run, then another retype from the same Untyped meanwhile. */
        pending_every = 2;
        (void)retype(sub, MK_OBJ_CNODE, 11, f + 3, 1);
        ok(kt_k.preempted, "a retype preempted half way");
        pending_every = 0;
        is_int(retype(sub, MK_OBJ_ENDPOINT, 0, f + 4, 1), MK_OK, "another retype meanwhile");
        is_int(retype(sub, MK_OBJ_CNODE, 11, f + 3, 1), MK_OK, "the first one again");
        ok(zero((unsigned char *)kt_slot(f + 3)->cap.obj, 1u << 17), "its CNode is zero");

        /* Revoke 512 endpoints, an interrupt at every other check. */
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, sub, (uint64_t)64), MK_OK, "revoke");
        cn = kt_new(MK_OBJ_CNODE, 9, 1);
        for (unsigned i = 0; i < 512; i += 256)
                is_int(kt_inv(sub, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_ENDPOINT, (uint64_t)0,
                              cn, (uint64_t)i, (uint64_t)256), MK_OK, "256 endpoints");
        pending_every = 2;
        restarts = 0;
        (void)kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, sub, (uint64_t)64);
        runs = rerun();
        is_int(kt_root()->regs.nr, MK_OK, "preempted revoke ends");
        ok(runs >= 256, "one child at a time (%u runs)", runs);
        ok(!mk_mdb_has_children(kt_slot(sub)), "every child gone");
        ok(mk_cnode_slots(&kt_slot(cn)->cap)[511].cap.type == MK_OBJ_NULL, "the last one too");
        /* Delete the last cap of a CNode holding 256 endpoints: its slots
         * empty a few at a time; another syscall meanwhile finishes it. */
        pending_every = 0;
        cn = kt_next++;
        is_int(retype(sub, MK_OBJ_CNODE, 8, cn, 1), MK_OK, "a CNode");
        is_int(kt_inv(sub, MK_UNTYPED_RETYPE, 5, (uint64_t)MK_OBJ_ENDPOINT, (uint64_t)0, cn,
                      (uint64_t)0, (uint64_t)256), MK_OK, "a CNode full of endpoints");
        pending_every = 5;
        restarts = 0;
        (void)kt_inv(KT_CNODE, MK_CNODE_DELETE, 2, cn, (uint64_t)64);
        ok(kt_k.preempted && kt_k.zombies, "its deletion stopped half way");
        pending_every = 3;
        (void)kt_sys(kt_root(), MK_SYS_YIELD, 0, 0, 0, NULL);
        runs = rerun();
        ok(runs > 3 && !kt_k.zombies, "another syscall finished it first (%u runs)", runs);
        is_int(kt_slot(cn)->cap.type, MK_OBJ_NULL, "the CNode's slot is empty");
        ok(!mk_mdb_has_children(kt_slot(sub)), "every endpoint gone");
        pending_every = 0;
        restarts = 0;
        pending_every = 1;
        is_int(kt_inv(KT_CNODE, MK_CNODE_REVOKE, 2, sub, (uint64_t)64), MK_OK,
               "revoke of nothing: no preemption point");
        is_int(restarts, 0, "no restart");
        pending_every = 0;
        kt_k.arch = NULL;
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
        ok(kt_slot(ut)->next == kt_slot(sub) && kt_descends(kt_slot(ut), kt_slot(sub)) &&
           kt_slot(sub)->revocable, "child untyped follows its parent, inside its memory");

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
        preempt_checks(kt_ut);
        return tap_done();
}
