/* kernel/core/mdb.c: the derivation tree. All slots derived from one root
 * form a doubly linked list in preorder, and no slot stores its depth: the
 * descendants of a slot are the run of slots after it that it is parent
 * of (mk_mdb_parent_of), a test on the two caps and two bits per slot. A
 * derived cap goes right after the cap it was derived from. Only a
 * revocable cap has children, so a copy of a copy is a sibling, no chain
 * of copies is deeper than one level, and every operation here is O(1)
 * (the scheme of seL4's capability derivation tree; kernel/README.md). */
#include "kernel.h"

static void link_after(struct mk_cte *pos, struct mk_cte *n)
{
        n->prev = pos;
        n->next = pos->next;
        if (pos->next)
                pos->next->prev = n;
        pos->next = n;
}

/* mk_mdb_insert_child: put cap, derived from the cap in src (a copy, mint,
 * transfer or retype of it), into the empty slot dst, right after src. It
 * is then a child of src when src is revocable, else a sibling of src (a
 * child of src's parent). A cap that may have children itself (cap.c's
 * mk_cap_is_revocable) also begins its own subtree (first). */
void mk_mdb_insert_child(struct mk_cte *src, struct mk_cte *dst,
                         const struct mk_cap *cap)
{
        dst->cap = *cap;
        dst->revocable = mk_cap_is_revocable(cap, &src->cap);
        dst->first = dst->revocable;
        link_after(src, dst);
}

/* mk_mdb_insert_new: put cap, an object retype just made of the Untyped
 * in ut, into the empty slot dst as ut's newest child (revocable: the
 * rule's answer for a source Untyped, without asking it once per object). */
void mk_mdb_insert_new(struct mk_cte *ut, struct mk_cte *dst, const struct mk_cap *cap)
{
        dst->cap = *cap;
        dst->revocable = 1;
        dst->first = 1;
        link_after(ut, dst);
}

/* mk_mdb_insert_root: put cap into the empty slot as a derivation root. */
void mk_mdb_insert_root(struct mk_cte *slot, const struct mk_cap *cap)
{
        slot->cap = *cap;
        slot->revocable = 1;
        slot->first = 1;
        slot->prev = slot->next = NULL;
}

/* mk_mdb_parent_of: whether b, in the run of slots after a, descends from
 * a: a may have children, b's cap is of a's object (or inside a's
 * memory or port range), and where badges or issued ranges split an
 * object, b is of a's badge and does not begin a subtree of its own. */
bool mk_mdb_parent_of(const struct mk_cte *a, const struct mk_cte *b)
{
        if (!a->revocable || !mk_cap_same_region(&a->cap, &b->cap))
                return false;
        switch (a->cap.type) {
        case MK_OBJ_ENDPOINT:
        case MK_OBJ_NOTIFICATION:
        case MK_OBJ_DEBUG_CONSOLE:
                return a->cap.word == 0 || (b->cap.word == a->cap.word && !b->first);
        case MK_OBJ_IRQ_HANDLER:
        case MK_OBJ_IOPORT:
                return !b->first;
        default:
                return true;
        }
}

/* mk_mdb_has_children: whether the cap in slot has a descendant. */
bool mk_mdb_has_children(const struct mk_cte *slot)
{
        return slot->next && mk_mdb_parent_of(slot, slot->next);
}

/* mk_mdb_is_final: whether slot holds the last cap to its object. Caps to
 * one object are always adjacent in the list (every cap to it derives
 * from the one retype made, each right after its source, and a deletion
 * closes the gap), so the neighbours tell. */
bool mk_mdb_is_final(const struct mk_cte *slot)
{
        if (slot->prev && mk_cap_same_object(&slot->prev->cap, &slot->cap))
                return false;
        if (slot->next && mk_cap_same_object(&slot->next->cap, &slot->cap))
                return false;
        return true;
}

/* mk_mdb_unlink: empty slot. Its descendants stay where they are and so
 * become descendants of its parent; where the slot began a subtree, its
 * next slot begins one now, so a cap of the same badge before it does
 * not adopt what was the slot's. */
void mk_mdb_unlink(struct mk_cte *slot)
{
        if (slot->prev)
                slot->prev->next = slot->next;
        if (slot->next) {
                slot->next->prev = slot->prev;
                slot->next->first |= slot->first;
        }
        *slot = (struct mk_cte){ 0 };   /* eight stores: every deletion passes here */
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
