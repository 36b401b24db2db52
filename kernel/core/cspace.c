/* kernel/core/cspace.c: capability addressing. A CPtr is resolved through
 * CNodes as a guarded radix tree, as seL4 does: at each CNode the next
 * guard_bits bits must equal the guard, the next radix bits index a slot. */
#include "kernel.h"

/* mk_lookup_slot: resolve the top depth bits of cptr starting at the CNode
 * cap in root. With exact, all depth bits must be used by CNodes; without,
 * resolution stops at the first slot that holds no CNode cap. Returns MK_OK
 * and the slot in ret, MK_E_RANGE for a depth outside 1..64, MK_E_LOOKUP
 * when a guard, the depth or a CNode along the way does not match. */
int mk_lookup_slot(struct mk_cte *root, uint64_t cptr, unsigned depth,
                   bool exact, struct mk_cte **ret)
{
        const struct mk_cap *cap = &root->cap;
        unsigned n = depth, radix, gb, level;
        struct mk_cte *slot;

        if (depth < 1 || depth > 64)
                return MK_E_RANGE;
        for (;;) {
                if (cap->type != MK_OBJ_CNODE)
                        return MK_E_LOOKUP;
                radix = cap->bits;
                gb = cap->guard_bits;
                level = radix + gb;
                if (level > n)
                        return MK_E_LOOKUP;
                if ((mk_shr(cptr, n - gb) & mk_mask(gb)) != cap->word)
                        return MK_E_LOOKUP;
                slot = mk_cnode_slots(cap) + (mk_shr(cptr, n - level) & mk_mask(radix));
                n -= level;
                if (n == 0)
                        break;
                if (slot->cap.type != MK_OBJ_CNODE) {
                        if (exact)
                                return MK_E_LOOKUP;
                        break;
                }
                cap = &slot->cap;
        }
        *ret = slot;
        return MK_OK;
}

/* mk_lookup_cap: the slot cptr names in t's CSpace (64 bits, stopping at
 * the first non-CNode cap). Returns MK_E_LOOKUP, or MK_E_INVALID_CAP when
 * the slot is empty. */
int mk_lookup_cap(struct mk_tcb *t, uint64_t cptr, struct mk_cte **ret)
{
        struct mk_cte *slot;
        int r;

        r = mk_lookup_slot(&t->slots[MK_TCB_CTABLE], cptr, 64, false, &slot);
        if (r != MK_OK)
                return r;
        if (slot->cap.type == MK_OBJ_NULL || slot->cap.type == MK_OBJ_ZOMBIE)
                return MK_E_INVALID_CAP;
        *ret = slot;
        return MK_OK;
}

int mk_dest_slots(struct mk_kernel *k, uint64_t cptr, uint64_t index, uint64_t count,
                  struct mk_cte **ret)
{
        struct mk_cte *cn, *dst;
        int r;

        r = mk_lookup_cap(k->cur, cptr, &cn);
        if (r != MK_OK)
                return r;
        if (cn->cap.type != MK_OBJ_CNODE)
                return MK_E_WRONG_TYPE;
        if (index >= (uint64_t)1 << cn->cap.bits || count > ((uint64_t)1 << cn->cap.bits) - index)
                return MK_E_RANGE;
        dst = mk_cnode_slots(&cn->cap) + index;
        for (uint64_t i = 0; i < count; i++)
                if (dst[i].cap.type != MK_OBJ_NULL)
                        return MK_E_DELETE_FIRST;
        *ret = dst;
        return MK_OK;
}

int mk_cap_arg(struct mk_kernel *k, unsigned i, uint8_t type, uint8_t rights,
               struct mk_cte **ret)
{
        struct mk_cte *s;
        int r;

        r = mk_lookup_cap(k->cur, mk_arg(k, i), &s);
        if (r != MK_OK)
                return r;
        if (s->cap.type != type)
                return MK_E_WRONG_TYPE;
        if ((s->cap.rights & rights) != rights)
                return MK_E_RIGHTS;
        *ret = s;
        return MK_OK;
}
