/* kernel/core/cnode.c: the CNode methods: copy, mint, move, delete and
 * revoke, with every slot addressed inside the invoked CNode by an index
 * and a depth (exact guarded-radix lookup). */
#include "kernel.h"

static int slot_arg(struct mk_kernel *k, struct mk_cte *cnode, unsigned mr,
                    struct mk_cte **ret)
{
        uint64_t depth = mk_arg(k, mr + 1);

        if (depth < 1 || depth > 64)
                return MK_E_RANGE;
        return mk_lookup_slot(cnode, mk_arg(k, mr), (unsigned)depth, true, ret);
}

/* The destination (MRs 0-1) and source (MRs 2-3) slots of copy, mint
 * and move. */
static int two_slots(struct mk_kernel *k, struct mk_cte *cnode,
                     struct mk_cte **ret_dst, struct mk_cte **ret_src)
{
        struct mk_cte *dst, *src;
        int r;

        r = slot_arg(k, cnode, 0, &dst);
        if (r == MK_OK)
                r = slot_arg(k, cnode, 2, &src);
        if (r != MK_OK)
                return r;
        *ret_dst = dst;
        *ret_src = src;
        return MK_OK;
}

static int copy(struct mk_kernel *k, struct mk_cte *cnode, bool mint)
{
        struct mk_cte *dst, *src;
        uint64_t rights = mk_arg(k, 4);
        struct mk_cap c;
        int r;

        r = two_slots(k, cnode, &dst, &src);
        if (r != MK_OK)
                return r;
        if (dst->cap.type != MK_OBJ_NULL)
                return MK_E_DELETE_FIRST;
        if (rights > MK_RIGHTS_ALL)
                return MK_E_INVALID_ARG;
        r = mk_cap_derive(&src->cap, (uint8_t)rights, mint,
                          mint ? mk_arg(k, 5) : 0, &c);
        if (r != MK_OK)
                return r;
        mk_mdb_insert_child(src, dst, &c);
        return MK_OK;
}

static int move(struct mk_kernel *k, struct mk_cte *cnode)
{
        struct mk_cte *dst, *src;
        int r;

        r = two_slots(k, cnode, &dst, &src);
        if (r != MK_OK)
                return r;
        if (src->cap.type == MK_OBJ_NULL)
                return MK_E_INVALID_CAP;
        if (dst->cap.type != MK_OBJ_NULL)
                return MK_E_DELETE_FIRST;
        mk_mdb_move(dst, src);
        mk_page_moved(dst);
        return MK_OK;
}

/* mk_cnode_invoke: run CNode method label on the CNode cap in slot.
 * Returns MK_OK or MK_E_*. */
int mk_cnode_invoke(struct mk_kernel *k, struct mk_cte *cnode, uint64_t label)
{
        struct mk_cte *s;
        int r;

        switch (label) {
        case MK_CNODE_COPY:
                return copy(k, cnode, false);
        case MK_CNODE_MINT:
                return copy(k, cnode, true);
        case MK_CNODE_MOVE:
                return move(k, cnode);
        case MK_CNODE_DELETE:
        case MK_CNODE_REVOKE:
                r = slot_arg(k, cnode, 0, &s);
                if (r != MK_OK)
                        return r;
                if (label == MK_CNODE_DELETE)
                        return mk_cte_delete_preemptible(k, s);
                return mk_cte_revoke(k, s);
        default:
                return MK_E_INVALID_ARG;
        }
}
