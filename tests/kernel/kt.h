/* tests/kernel/kt.h: helpers for the kernel's host tests. A test boots the
 * kernel on a static block of memory and then plays the user side: each
 * step names the thread that should be running, fills its registers and
 * enters mk_syscall(), as the arch layer will. */
#ifndef THATTE_TESTS_KT_H
#define THATTE_TESTS_KT_H

#include <stdarg.h>
#include <string.h>

#include "kernel.h"
#include "tests/tap.h"

#define KT_MEM_BITS 23
#define KT_CNODE 2u             /* root CNode cptr, from mk_boot */
#define KT_BAD 0xdeadu          /* "the named thread was not running" */

static unsigned char kt_mem[1u << KT_MEM_BITS] __attribute__((aligned(1u << KT_MEM_BITS)));
static struct mk_kernel kt_k;
static struct mk_bootinfo kt_bi;
static uint64_t kt_next;        /* next free slot of the root CNode */
static uint64_t kt_ut;          /* the largest untyped cap */

static inline struct mk_cte *kt_slot(uint64_t cptr)
{
        return mk_cnode_slots(&kt_k.boot_slots[0].cap) + cptr;
}

static inline struct mk_kernel *kt_boot(void)
{
        if (mk_boot(&kt_k, kt_mem, sizeof(kt_mem), 10, &kt_bi) != 0) {
                printf("Bail out! mk_boot failed\n");
                exit(1);
        }
        kt_next = kt_bi.empty_first;
        kt_ut = kt_bi.untyped_first;
        for (uint64_t i = 0; i < kt_bi.untyped_count; i++)
                if (kt_slot(kt_bi.untyped_first + i)->cap.bits > kt_slot(kt_ut)->cap.bits)
                        kt_ut = kt_bi.untyped_first + i;
        return &kt_k;
}

static inline struct mk_tcb *kt_root(void)
{
        return (struct mk_tcb *)mk_cnode_slots(&kt_k.boot_slots[0].cap)[1].cap.obj;
}

/* Run syscall nr as thread t with the given registers; returns t's nr
 * register afterwards (its result, or the syscall number while blocked). */
static inline uint64_t kt_sys(struct mk_tcb *t, uint64_t nr, uint64_t cptr, uint64_t reply,
                              uint64_t info, const uint64_t *mrs)
{
        if (kt_k.cur != t)
                return KT_BAD;
        t->regs.nr = nr;
        t->regs.cptr = cptr;
        t->regs.reply = reply;
        t->regs.info = info;
        for (unsigned i = 0; mrs && i < mk_info_len(info) && i < MK_MSG_MAX; i++)
                mk_set_mr(t, i, mrs[i]);
        mk_syscall(&kt_k);
        return t->regs.nr;
}

/* Invoke a kernel object as the running thread: n arguments follow. */
static inline uint64_t kt_inv(uint64_t cptr, uint64_t label, unsigned n, ...)
{
        uint64_t a[8] = { 0 };
        va_list ap;

        va_start(ap, n);
        for (unsigned i = 0; i < n && i < 8; i++)
                a[i] = va_arg(ap, uint64_t);
        va_end(ap);
        return kt_sys(kt_k.cur, MK_SYS_CALL, cptr, 0, mk_info(label, 0, n), a);
}

/* Retype count objects from the first untyped into fresh root slots;
 * returns the first slot's cptr, or 0 on failure. */
static inline uint64_t kt_new(uint64_t type, uint64_t bits, uint64_t count)
{
        uint64_t first = kt_next;

        if (kt_inv(kt_ut, MK_UNTYPED_RETYPE, 5, type, bits,
                   (uint64_t)KT_CNODE, first, count) != MK_OK)
                return 0;
        kt_next += count;
        return first;
}

/* A thread with the root CSpace at prio, resumed. Returns its TCB cptr. */
static inline uint64_t kt_thread(uint8_t prio)
{
        uint64_t c = kt_new(MK_OBJ_TCB, 0, 1);

        if (!c || kt_inv(c, MK_TCB_CONFIGURE, 2, (uint64_t)KT_CNODE, (uint64_t)0) != MK_OK ||
            kt_inv(c, MK_TCB_SET_PRIORITY, 1, (uint64_t)prio) != MK_OK)
                return 0;
        return c;
}

static inline struct mk_tcb *kt_tcb(uint64_t cptr)
{
        return (struct mk_tcb *)kt_slot(cptr)->cap.obj;
}

/* Whether slot d descends from slot a: d lies in the run of slots after a
 * that a is parent of (mdb.c). */
static inline bool kt_descends(const struct mk_cte *a, const struct mk_cte *d)
{
        for (const struct mk_cte *c = a->next; c && mk_mdb_parent_of(a, c); c = c->next)
                if (c == d)
                        return true;
        return false;
}

#endif
