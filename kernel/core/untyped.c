/* kernel/core/untyped.c: retype. An untyped cap carves objects from its
 * memory at a watermark (cap.word, the offset of the first free byte),
 * each object aligned to its own size. When the untyped has no children
 * left, all objects made from it are gone, and the watermark starts over.
 * Device memory (MK_CAPF_DEVICE) becomes only Frames and smaller device
 * Untypeds (to reach an offset inside it, as seL4 allows) and is never
 * touched: not zeroed, no object set up in it.
 *
 * Zeroing is the long part (up to 256 CNodes of 4 MiB): it runs in 4 KiB
 * steps with a preemption point between them, and the cap remembers how
 * far above the watermark the memory is known zero, so the re-run of a
 * preempted retype goes on from there. Untyped children are not zeroed
 * (their own retypes do it), which makes splitting an Untyped cheap. */
#include "kernel.h"

#define MK_CLEAR_CHUNK 4096u    /* bytes zeroed between preemption points */

struct retype_args {
        uint8_t type;
        uint64_t bits;          /* object size, log2 */
        uint64_t user_bits;
        struct mk_cte *dest;    /* first destination slot */
        uint64_t count;
};

static int decode(struct mk_kernel *k, struct retype_args *a)
{
        uint64_t type = mk_arg(k, 0);

        if (type == MK_OBJ_NULL || type >= MK_OBJ_COUNT)
                return MK_E_INVALID_ARG;
        if (type == MK_OBJ_VCPU && !k->vm)
                return MK_E_UNSUPPORTED;
        a->type = (uint8_t)type;
        a->user_bits = mk_arg(k, 1);
        a->bits = mk_obj_bits(a->type, a->user_bits);
        if (a->bits == 0)
                return MK_E_RANGE;
        a->count = mk_arg(k, 4);
        if (a->count < 1 || a->count > MK_RETYPE_MAX)
                return MK_E_RANGE;
        return mk_dest_slots(k, mk_arg(k, 2), mk_arg(k, 3), a->count, &a->dest);
}

static void make_cap(const struct retype_args *a, uintptr_t obj, uint8_t flags,
                     struct mk_cap *c)
{
        mk_memset(c, 0, sizeof(*c));
        c->type = a->type;
        c->flags = flags;
        c->rights = MK_RIGHTS_ALL;
        c->obj = obj;
        if (a->type == MK_OBJ_UNTYPED || a->type == MK_OBJ_CNODE || a->type == MK_OBJ_FRAME)
                c->bits = (uint8_t)a->user_bits;
}

/* Zero the untyped's memory up to offset end, MK_CLEAR_CHUNK bytes at a
 * time, from where the zeroed run above the watermark ends (the padding
 * up to an aligned object is zeroed too: the run stays one piece). The
 * progress is kept in the cap (mapped), so a preempted retype goes on
 * where it stopped. Returns MK_OK or MK_PREEMPTED. */
static int clear_to(struct mk_kernel *k, struct mk_cap *ut, uint64_t end)
{
        uint64_t at = ut->mapped > ut->word ? ut->mapped : ut->word, step;

        while (at < end) {
                step = MK_CLEAR_CHUNK - (at & (MK_CLEAR_CHUNK - 1));
                if (step > end - at)
                        step = end - at;
                mk_memset((void *)(ut->obj + at), 0, step);
                at += step;
                ut->mapped = at;
                if (at < end && mk_preempt_pending(k))
                        return MK_PREEMPTED;
        }
        return MK_OK;
}

static int retype(struct mk_kernel *k, struct mk_cte *ut)
{
        struct retype_args a;
        uint64_t size = (uint64_t)1 << ut->cap.bits, free, need;
        bool device = ut->cap.flags & MK_CAPF_DEVICE;
        struct mk_cap c;
        uintptr_t obj;
        int r;

        r = decode(k, &a);
        if (r != MK_OK)
                return r;
        if (a.bits > ut->cap.bits)
                return MK_E_RANGE;
        if (device && a.type != MK_OBJ_FRAME && a.type != MK_OBJ_UNTYPED)
                return MK_E_ILLEGAL_OP;
        if (!mk_mdb_has_children(ut) && ut->cap.word) {
                ut->cap.word = 0;       /* every object is gone: all of it is free, */
                ut->cap.mapped = 0;     /* none of it known zero */
        }
        free = (ut->cap.word + mk_mask((unsigned)a.bits)) & ~mk_mask((unsigned)a.bits);
        need = a.count << a.bits;
        if (free > size || size - free < need)
                return MK_E_NO_MEMORY;
        /* An Untyped is zeroed when its own objects are made. */
        if (!device && a.type != MK_OBJ_UNTYPED) {
                r = clear_to(k, &ut->cap, free + need);
                if (r != MK_OK)
                        return r;
        }
        obj = ut->cap.obj + free;
        for (uint64_t i = 0; i < a.count; i++, obj += (uintptr_t)1 << a.bits) {
                if (!device)
                        mk_object_init(k, a.type, (void *)obj, a.bits);
                make_cap(&a, obj, ut->cap.flags & MK_CAPF_DEVICE, &c);
                mk_mdb_insert_new(ut, &a.dest[i], &c);
        }
        ut->cap.word = free + need;
        return MK_OK;
}

/* mk_untyped_invoke: MK_UNTYPED_RETYPE on the untyped cap in slot.
 * Returns MK_OK or MK_E_*; nothing changes on error. */
int mk_untyped_invoke(struct mk_kernel *k, struct mk_cte *ut, uint64_t label)
{
        if (label != MK_UNTYPED_RETYPE)
                return MK_E_INVALID_ARG;
        return retype(k, ut);
}
