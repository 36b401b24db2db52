/* kernel/core/cap.c: what a capability may become. Object sizes, sameness
 * (for the last-cap test), regions and revocability (for the derivation
 * tree, mdb.c) and derivation: copy and mint rules per type. */
#include "kernel.h"

/* mk_cap_is_table: whether type is one of the four page-table levels or
 * a guest space (a nested PML4). */
bool mk_cap_is_table(uint8_t type)
{
        return (type >= MK_OBJ_PML4 && type <= MK_OBJ_PT) || type == MK_OBJ_GSPACE;
}

/* mk_cap_same_object: whether two caps name the same live object (an IRQ
 * handler: the same line; control and I/O port caps have no object to
 * finalise, so any two of a type count as one). */
bool mk_cap_same_object(const struct mk_cap *a, const struct mk_cap *b)
{
        if (a->type != b->type || a->obj != b->obj)
                return false;
        if (a->type == MK_OBJ_NULL || a->type == MK_OBJ_ZOMBIE)
                return false;
        return a->type != MK_OBJ_UNTYPED || a->bits == b->bits;
}

/* Log2 of the size of the objects whose size is fixed (0: not fixed). */
static const uint8_t fixed_bits[MK_OBJ_COUNT] = {
        [MK_OBJ_ENDPOINT] = MK_EP_BITS, [MK_OBJ_NOTIFICATION] = MK_NTFN_BITS,
        [MK_OBJ_TCB] = MK_TCB_BITS, [MK_OBJ_REPLY] = MK_REPLY_BITS,
        [MK_OBJ_PML4] = MK_TABLE_BITS, [MK_OBJ_PDPT] = MK_TABLE_BITS,
        [MK_OBJ_PD] = MK_TABLE_BITS, [MK_OBJ_PT] = MK_TABLE_BITS,
        [MK_OBJ_GSPACE] = MK_TABLE_BITS, [MK_OBJ_VCPU] = MK_VCPU_BITS,
};

/* Log2 of the memory the object of cap takes (0: no memory object). */
static uint64_t cap_size_bits(const struct mk_cap *c)
{
        if (c->type == MK_OBJ_UNTYPED || c->type == MK_OBJ_FRAME)
                return c->bits;
        if (c->type == MK_OBJ_CNODE)
                return c->bits + MK_CTE_BITS;
        return c->type < MK_OBJ_COUNT ? fixed_bits[c->type] : 0;
}

/* Whether b's object lies inside the memory of the Untyped cap a. Both
 * are aligned to their size (boot splits memory so, retype aligns each
 * object), so b is inside when it is no larger and its address agrees
 * with a's above a's size. */
static bool inside_untyped(const struct mk_cap *a, const struct mk_cap *b)
{
        uint64_t bits = cap_size_bits(b);

        return bits != 0 && bits <= a->bits && mk_shr(b->obj ^ a->obj, a->bits) == 0;
}

/* mk_cap_same_region: whether cap b names a's object or lies inside it:
 * an object inside an Untyped's memory, a handler (I/O port cap) under
 * the IRQ (I/O port) control cap, a port range inside an I/O port cap's. */
bool mk_cap_same_region(const struct mk_cap *a, const struct mk_cap *b)
{
        switch (a->type) {
        case MK_OBJ_NULL:
        case MK_OBJ_ZOMBIE:
                return false;
        case MK_OBJ_UNTYPED:
                return inside_untyped(a, b);
        case MK_OBJ_IRQ_CONTROL:
                return b->type == MK_OBJ_IRQ_CONTROL || b->type == MK_OBJ_IRQ_HANDLER;
        case MK_OBJ_IOPORT_CONTROL:
                return b->type == MK_OBJ_IOPORT_CONTROL || b->type == MK_OBJ_IOPORT;
        case MK_OBJ_IOPORT:
                return b->type == MK_OBJ_IOPORT && mk_ioport_inside(b->word, a->word);
        case MK_OBJ_CNODE:
        case MK_OBJ_FRAME:
                return b->type == a->type && b->obj == a->obj && b->bits == a->bits;
        default:
                return b->type == a->type && b->obj == a->obj;
        }
}

/* mk_cap_is_revocable: whether derived, made from src, may have children
 * of its own (seL4's rule): every object retype makes (src an Untyped),
 * a handler or port range a control cap issues, and an Endpoint,
 * Notification or console cap minted with a new badge. Any other copy
 * is a sibling of src, so copies never nest. */
bool mk_cap_is_revocable(const struct mk_cap *derived, const struct mk_cap *src)
{
        switch (derived->type) {
        case MK_OBJ_ENDPOINT:
        case MK_OBJ_NOTIFICATION:
        case MK_OBJ_DEBUG_CONSOLE:
                return src->type == MK_OBJ_UNTYPED || derived->word != src->word;
        case MK_OBJ_IRQ_HANDLER:
                return src->type == MK_OBJ_IRQ_CONTROL;
        case MK_OBJ_IOPORT:
                return src->type == MK_OBJ_IOPORT_CONTROL;
        default:
                return src->type == MK_OBJ_UNTYPED;
        }
}

/* mk_obj_bits: log2 of the memory an object of type takes; user_bits is the
 * retype size argument. Returns 0 for an invalid type or size. */
uint64_t mk_obj_bits(uint8_t type, uint64_t user_bits)
{
        switch (type) {
        case MK_OBJ_UNTYPED:
                if (user_bits < MK_UNTYPED_MIN_BITS || user_bits > MK_UNTYPED_MAX_BITS)
                        return 0;
                return user_bits;
        case MK_OBJ_CNODE:
                if (user_bits < 1 || user_bits > MK_CNODE_RADIX_MAX)
                        return 0;
                return user_bits + MK_CTE_BITS;
        case MK_OBJ_FRAME:
                if (user_bits != MK_FRAME_BITS && user_bits != MK_LARGE_FRAME_BITS)
                        return 0;
                return user_bits;
        default:
                return type < MK_OBJ_COUNT ? fixed_bits[type] : 0;
        }
}

static int mint_word(const struct mk_cap *src, uint64_t word, struct mk_cap *c)
{
        uint64_t guard_bits, guard;

        switch (src->type) {
        case MK_OBJ_ENDPOINT:
        case MK_OBJ_NOTIFICATION:
        case MK_OBJ_DEBUG_CONSOLE:
                if (src->word != 0 && word != 0)
                        return MK_E_ILLEGAL_OP;     /* a badge is set once */
                if (word != 0)
                        c->word = word;
                return MK_OK;
        case MK_OBJ_CNODE:
                guard_bits = word >> 58;
                guard = word & mk_mask(58);
                if (guard_bits + src->bits > 64 || (guard & ~mk_mask((unsigned)guard_bits)))
                        return MK_E_RANGE;
                c->guard_bits = (uint8_t)guard_bits;
                c->word = guard;
                return MK_OK;
        case MK_OBJ_IOPORT:
                /* a narrower range (first | last << 16); 0 keeps it */
                if (word != 0 && !mk_ioport_inside(word, src->word))
                        return MK_E_RANGE;
                if (word != 0)
                        c->word = word;
                return MK_OK;
        default:
                return word == 0 ? MK_OK : MK_E_INVALID_ARG;
        }
}

/* mk_cap_derive: the cap a copy (mint false) or mint of src gives, with
 * rights masked by rights and, for mint, the badge or guard word. Untyped
 * caps are never copied (one cap per untyped keeps the watermark exact);
 * frame and table copies start unmapped. Returns MK_OK or MK_E_*. */
int mk_cap_derive(const struct mk_cap *src, uint8_t rights, bool mint,
                  uint64_t word, struct mk_cap *ret)
{
        struct mk_cap c = *src;
        int r;

        if (src->type == MK_OBJ_NULL || src->type == MK_OBJ_ZOMBIE)
                return MK_E_INVALID_CAP;
        if (src->type == MK_OBJ_UNTYPED)
                return MK_E_ILLEGAL_OP;
        if (rights & ~MK_RIGHTS_ALL)
                return MK_E_INVALID_ARG;
        c.rights = src->rights & rights;
        c.flags &= (uint8_t)~MK_CAPF_IPCBUF;
        if (src->type == MK_OBJ_FRAME || mk_cap_is_table(src->type)) {
                c.word = 0;
                c.mapped = 0;
        }
        if (mint) {
                r = mint_word(src, word, &c);
                if (r != MK_OK)
                        return r;
        }
        *ret = c;
        return MK_OK;
}
