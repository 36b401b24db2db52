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

/* Untyped caps of the largest aligned sizes for [*p, end) into slots
 * [first, nslots); *p advances past what they cover. Returns their count. */
static uint64_t carve_untyped(struct mk_cte *slots, uint64_t first, uint64_t nslots,
                              uintptr_t *pp, uintptr_t end, uint8_t flags)
{
        uintptr_t p = *pp;
        struct mk_cap c;
        uint64_t n = 0;
        unsigned bits;

        while (end > p && end - p >= ((uintptr_t)1 << MK_UNTYPED_MIN_BITS)) {
                bits = mk_highbit(end - p);
                if (p && __builtin_ctzll(p) < (int)bits)
                        bits = (unsigned)__builtin_ctzll(p);
                if (bits > MK_UNTYPED_MAX_BITS)
                        bits = MK_UNTYPED_MAX_BITS;
                if (bits < MK_UNTYPED_MIN_BITS) {
                        p = align_up(p, MK_UNTYPED_MIN_BITS);
                        continue;
                }
                if (first + n >= nslots)
                        break;
                make_cap(&c, MK_OBJ_UNTYPED, p, (uint8_t)bits);
                c.flags = flags;
                mk_mdb_insert_root(&slots[first + n], &c);
                n++;
                p += (uintptr_t)1 << bits;
        }
        *pp = p;
        return n;
}

/* Whether [p, end) still holds an untyped's worth after alignment. */
static bool left_over(uintptr_t p, uintptr_t end)
{
        p = align_up(p, MK_UNTYPED_MIN_BITS);
        return end > p && end - p >= ((uintptr_t)1 << MK_UNTYPED_MIN_BITS);
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
        ret_bi->untyped_count = carve_untyped(slots, 3, (uint64_t)1 << radix, &p, end, 0);
        ret_bi->empty_first = 3 + ret_bi->untyped_count;
        return 0;
}

static struct mk_cte *root_slots(struct mk_kernel *k)
{
        return mk_cnode_slots(&k->boot_slots[0].cap);
}

static uint64_t root_nslots(struct mk_kernel *k)
{
        return (uint64_t)1 << k->boot_slots[0].cap.bits;
}

int mk_boot_untyped(struct mk_kernel *k, struct mk_bootinfo *bi, uintptr_t base,
                    uint64_t size, bool device)
{
        uintptr_t p = base, end = base + size;
        uint64_t n;

        if (end < base || (bi->untyped_count &&
                           bi->untyped_first + bi->untyped_count != bi->empty_first))
                return -1;
        if (!bi->untyped_count)
                bi->untyped_first = bi->empty_first;
        n = carve_untyped(root_slots(k), bi->empty_first, root_nslots(k), &p, end,
                          device ? MK_CAPF_DEVICE : 0);
        bi->untyped_count += n;
        bi->empty_first += n;
        return left_over(p, end) ? -1 : (int)n;
}

int64_t mk_boot_control_cap(struct mk_kernel *k, struct mk_bootinfo *bi, uint8_t type)
{
        uint64_t slot = bi->empty_first;
        struct mk_cap c;

        if ((type != MK_OBJ_IRQ_CONTROL && type != MK_OBJ_IOPORT_CONTROL &&
             type != MK_OBJ_DEBUG_CONSOLE) ||
            slot >= root_nslots(k) || root_slots(k)[slot].cap.type != MK_OBJ_NULL)
                return -1;
        make_cap(&c, type, 0, 0);
        mk_mdb_insert_root(&root_slots(k)[slot], &c);
        bi->empty_first++;
        return (int64_t)slot;
}

int64_t mk_boot_frames(struct mk_kernel *k, uint64_t first, uintptr_t base, uint64_t pages,
                       uint8_t rights)
{
        struct mk_cap c;

        if (first > root_nslots(k) || pages > root_nslots(k) - first ||
            (base & mk_mask(MK_FRAME_BITS)) || (rights & ~MK_RIGHTS_ALL))
                return -1;
        for (uint64_t i = 0; i < pages; i++)
                if (root_slots(k)[first + i].cap.type != MK_OBJ_NULL)
                        return -1;
        for (uint64_t i = 0; i < pages; i++) {
                make_cap(&c, MK_OBJ_FRAME, base + (i << MK_FRAME_BITS), MK_FRAME_BITS);
                c.rights = rights;
                mk_mdb_insert_root(&root_slots(k)[first + i], &c);
        }
        return (int64_t)pages;
}

int mk_boot_invoke(struct mk_kernel *k, uint64_t cptr, uint64_t label,
                   const uint64_t *mr, unsigned n)
{
        struct mk_tcb *t = k->cur;

        if (!t || n > MK_MSG_MAX)
                return MK_E_INVALID_ARG;
        t->regs.nr = MK_SYS_CALL;
        t->regs.cptr = cptr;
        t->regs.reply = 0;
        t->regs.info = mk_info(label, 0, n);
        for (unsigned i = 0; i < n; i++)
                mk_set_mr(t, i, mr[i]);
        do {
                k->preempted = 0;
                mk_syscall(k);
        } while (k->preempted);         /* no thread to run meanwhile: go on */
        return (int)t->regs.nr;
}
