/* kernel/core/boot.c: from a block of memory to a running root thread.
 * The root CNode and root TCB are carved first; their boot caps (kept in
 * the kernel, derivation roots) keep them alive forever. The rest of the
 * memory becomes untyped caps of the largest aligned power-of-two sizes. */
#include "kernel.h"

static uintptr_t align_up(uintptr_t p, unsigned bits)
{
        return (p + mk_mask(bits)) & ~(uintptr_t)mk_mask(bits);
}

static void make_cap(struct mk_cap *c, uint8_t type, uintptr_t obj, uint8_t bits)
{
        mk_memset(c, 0, sizeof(*c));
        c->type = type;
        c->rights = MK_RIGHTS_ALL;
        c->obj = obj;
        c->bits = bits;
}

static uint64_t carve_untyped(struct mk_cte *slots, uint64_t first, uint64_t nslots,
                              uintptr_t p, uintptr_t end)
{
        struct mk_cap c;
        uint64_t n = 0;
        unsigned bits;

        while (first + n < nslots && end > p && end - p >= ((uintptr_t)1 << MK_UNTYPED_MIN_BITS)) {
                bits = mk_highbit(end - p);
                if (p && __builtin_ctzll(p) < (int)bits)
                        bits = (unsigned)__builtin_ctzll(p);
                if (bits > MK_UNTYPED_MAX_BITS)
                        bits = MK_UNTYPED_MAX_BITS;
                if (bits < MK_UNTYPED_MIN_BITS) {
                        p = align_up(p, MK_UNTYPED_MIN_BITS);
                        continue;
                }
                make_cap(&c, MK_OBJ_UNTYPED, p, (uint8_t)bits);
                mk_mdb_insert_root(&slots[first + n], &c);
                n++;
                p += (uintptr_t)1 << bits;
        }
        return n;
}

int mk_boot(struct mk_kernel *k, void *mem, size_t size, unsigned radix,
            struct mk_bootinfo *ret_bi)
{
        uintptr_t p = (uintptr_t)mem, end = p + size;
        struct mk_cte *slots;
        struct mk_tcb *t;
        struct mk_cap c;

        if (radix < 2 || radix > MK_CNODE_RADIX_MAX || end < p)
                return -1;
        mk_memset(k, 0, sizeof(*k));
        p = align_up(p, radix + MK_CTE_BITS);
        slots = (struct mk_cte *)p;
        p = align_up(p + ((uintptr_t)1 << (radix + MK_CTE_BITS)), MK_TCB_BITS);
        t = (struct mk_tcb *)p;
        p += (uintptr_t)1 << MK_TCB_BITS;
        if (p > end || p < (uintptr_t)mem)
                return -1;
        mk_memset(slots, 0, (size_t)1 << (radix + MK_CTE_BITS));
        mk_memset(t, 0, sizeof(*t));

        make_cap(&c, MK_OBJ_CNODE, (uintptr_t)slots, (uint8_t)radix);
        c.guard_bits = (uint8_t)(64 - radix);
        mk_mdb_insert_root(&k->boot_slots[0], &c);
        mk_mdb_insert_child(&k->boot_slots[0], &slots[2], &c);
        mk_mdb_insert_child(&k->boot_slots[0], &t->slots[MK_TCB_CTABLE], &c);
        make_cap(&c, MK_OBJ_TCB, (uintptr_t)t, 0);
        mk_mdb_insert_root(&k->boot_slots[1], &c);
        mk_mdb_insert_child(&k->boot_slots[1], &slots[1], &c);

        t->ipcbuf = &t->buf;
        t->prio = MK_NUM_PRIOS - 1;
        t->state = MK_TS_RUNNING;
        t->timeslice = MK_TIMESLICE_TICKS;
        k->cur = t;
        k->fastpath = 1;

        ret_bi->tcb_cptr = 1;
        ret_bi->cnode_cptr = 2;
        ret_bi->cnode_radix = radix;
        ret_bi->untyped_first = 3;
        ret_bi->untyped_count = carve_untyped(slots, 3, (uint64_t)1 << radix, p, end);
        ret_bi->empty_first = 3 + ret_bi->untyped_count;
        return 0;
}
