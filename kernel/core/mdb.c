/* kernel/core/mdb.c: the derivation tree. All slots derived from one root
 * form a doubly linked list in preorder; each slot stores its depth, so the
 * descendants of a slot are exactly the run of slots after it with a greater
 * depth. A new child goes right after its parent. */
#include "kernel.h"

static void link_after(struct mk_cte *pos, struct mk_cte *n)
{
        n->prev = pos;
        n->next = pos->next;
        if (pos->next)
                pos->next->prev = n;
        pos->next = n;
}

/* mk_mdb_insert_child: put cap into the empty slot child as the newest
 * child of parent. */
void mk_mdb_insert_child(struct mk_cte *parent, struct mk_cte *child,
                         const struct mk_cap *cap)
{
        child->cap = *cap;
        child->depth = parent->depth + 1;
        link_after(parent, child);
}

/* mk_mdb_insert_root: put cap into the empty slot as a derivation root. */
void mk_mdb_insert_root(struct mk_cte *slot, const struct mk_cap *cap)
{
        slot->cap = *cap;
        slot->depth = 0;
        slot->prev = slot->next = NULL;
}

/* mk_mdb_has_children: whether the cap in slot has a descendant. */
bool mk_mdb_has_children(const struct mk_cte *slot)
{
        return slot->next && slot->next->depth > slot->depth;
}

/* mk_mdb_is_final: whether slot holds the last cap to its object. Caps to
 * one object are always adjacent in the list (every copy descends from the
 * retype cap, and orphans keep their place), so the neighbours tell. */
bool mk_mdb_is_final(const struct mk_cte *slot)
{
        if (slot->prev && mk_cap_same_object(&slot->prev->cap, &slot->cap))
                return false;
        if (slot->next && mk_cap_same_object(&slot->next->cap, &slot->cap))
                return false;
        return true;
}

/* mk_mdb_unlink: empty slot; its descendants move up one level, so they
 * become children of slot's parent. Callers revoke depth-0 slots first. */
void mk_mdb_unlink(struct mk_cte *slot)
{
        struct mk_cte *d;

        for (d = slot->next; d && d->depth > slot->depth; d = d->next)
                d->depth--;
        if (slot->prev)
                slot->prev->next = slot->next;
        if (slot->next)
                slot->next->prev = slot->prev;
        mk_memset(slot, 0, sizeof(*slot));
}

/* mk_mdb_move: move the cap in src to the empty slot dst, keeping its
 * place in the tree. */
void mk_mdb_move(struct mk_cte *dst, struct mk_cte *src)
{
        *dst = *src;
        if (dst->prev)
                dst->prev->next = dst;
        if (dst->next)
                dst->next->prev = dst;
        mk_memset(src, 0, sizeof(*src));
}
