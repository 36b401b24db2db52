/* kernel/core/delete.c: deleting and revoking capabilities.
 *
 * Deleting the last cap to a CNode or TCB must delete the caps inside it,
 * which may again be last caps of CNodes: unbounded nesting, but a kernel
 * stack is small. So nothing recurses: the emptied slot becomes a Zombie
 * cap that remembers the dying object's slots, zombies form a stack through
 * k->zombies, and one loop empties them slot by slot from the top. */
#include "kernel.h"

#define MK_ZOMBIE_SCAN 256u     /* empty slots passed between preemption points */

static void push_zombie(struct mk_kernel *k, struct mk_cte *slot,
                        struct mk_cte *slots, uint64_t count)
{
        slot->cap.type = MK_OBJ_ZOMBIE;
        slot->cap.obj = (uintptr_t)slots;
        slot->cap.word = count;
        slot->prev = NULL;
        slot->next = k->zombies;
        k->zombies = slot;
}

static int revoke_root(struct mk_kernel *k, struct mk_cte *slot, bool preemptible);

/* The mapping of a frame or table cap goes, and a table whose last cap
 * this is gets emptied: both preemptible, before the cap goes, so a
 * deletion run again goes on emptying (vspace.c). */
static int unmap(struct mk_kernel *k, struct mk_cte *slot, bool preemptible)
{
        int r;

        if (slot->cap.type != MK_OBJ_FRAME && !mk_cap_is_table(slot->cap.type))
                return MK_OK;
        r = mk_page_unmap(k, slot, preemptible);
        if (r == MK_OK && mk_cap_is_table(slot->cap.type) && mk_mdb_is_final(slot))
                r = mk_table_clear(k, &slot->cap, preemptible);
        return r;
}

/* Delete one cap without draining zombies. Returns MK_OK, or with
 * preemptible MK_PREEMPTED (the cap still there, its tables part
 * emptied). */
static int delete_one(struct mk_kernel *k, struct mk_cte *slot, bool preemptible)
{
        struct mk_cap cap;
        bool final;
        int r;

        if (slot->cap.type == MK_OBJ_NULL || slot->cap.type == MK_OBJ_ZOMBIE)
                return MK_OK;
        if (mk_mdb_is_root(slot)) {
                r = revoke_root(k, slot, preemptible);
                if (r != MK_OK)
                        return r;
        }
        r = unmap(k, slot, preemptible);
        if (r != MK_OK)
                return r;
        if (slot->cap.flags & MK_CAPF_IPCBUF)
                mk_tcb_ipcbuf_deleted(slot);
        final = mk_mdb_is_final(slot);
        cap = slot->cap;
        mk_mdb_unlink(slot);
        if (!final)
                return MK_OK;
        if (cap.type == MK_OBJ_CNODE) {
                push_zombie(k, slot, mk_cnode_slots(&cap), (uint64_t)1 << cap.bits);
        } else if (cap.type == MK_OBJ_TCB) {
                mk_object_finalise(k, &cap);
                push_zombie(k, slot, ((struct mk_tcb *)cap.obj)->slots, MK_TCB_SLOTS);
        } else {
                mk_object_finalise(k, &cap);
        }
        return MK_OK;
}

/* Before a root goes, its descendants do (no cap loses its root), one at
 * a time: with preemptible, stop when an interrupt waits (MK_PREEMPTED,
 * the root still there). Zombies the children leave are drained by the
 * caller, so nothing here nests deeper than this one call. */
static int revoke_root(struct mk_kernel *k, struct mk_cte *slot, bool preemptible)
{
        int r;

        while (mk_mdb_has_children(slot)) {
                r = delete_one(k, slot->next, preemptible);
                if (r != MK_OK)
                        return r;
                if (preemptible && mk_preempt_pending(k))
                        return mk_mdb_has_children(slot) ? MK_PREEMPTED : MK_OK;
        }
        return MK_OK;
}

/* Empty the zombies' slots from the top of the stack. With preemptible,
 * stop when an interrupt waits (checked after each cap deleted and every
 * MK_ZOMBIE_SCAN empty slots): MK_PREEMPTED, the rest still stacked. */
static int drain(struct mk_kernel *k, bool preemptible)
{
        struct mk_cte *z, *slot;
        bool work;

        while ((z = k->zombies)) {
                if (z->cap.word == 0) {
                        k->zombies = z->next;
                        mk_memset(z, 0, sizeof(*z));
                        continue;
                }
                z->cap.word--;
                slot = (struct mk_cte *)z->cap.obj + z->cap.word;
                work = slot->cap.type != MK_OBJ_NULL;
                if (delete_one(k, slot, preemptible) != MK_OK) {
                        z->cap.word++;          /* this slot again next run */
                        return MK_PREEMPTED;
                }
                if (preemptible && (work || z->cap.word % MK_ZOMBIE_SCAN == 0) &&
                    mk_preempt_pending(k))
                        return MK_PREEMPTED;
        }
        return MK_OK;
}

static void drain_zombies(struct mk_kernel *k)
{
        (void)drain(k, false);
}

/* mk_zombies_drain: finish deletions a preempted syscall left (the slow
 * path runs it before anything else, so no memory of a dying CNode or
 * TCB is reused before it is empty). Returns MK_OK or MK_PREEMPTED. */
int mk_zombies_drain(struct mk_kernel *k)
{
        return drain(k, true);
}

/* mk_cte_delete: delete the cap in slot (no-op when empty). Its children
 * are handed to its parent; a root cap (a list head) is revoked first. When it
 * was the last cap to its object, the object is finalised, and a CNode's or
 * TCB's own slots are deleted too. */
void mk_cte_delete(struct mk_kernel *k, struct mk_cte *slot)
{
        (void)delete_one(k, slot, false);
        drain_zombies(k);
}

/* mk_cte_delete_leaf: delete the cap in slot, which cannot be the last
 * cap of a CNode or TCB, from inside another deletion (no zombie drain). */
void mk_cte_delete_leaf(struct mk_kernel *k, struct mk_cte *slot)
{
        (void)delete_one(k, slot, false);
}

/* mk_cte_revoke: delete every descendant of the cap in slot, one at a
 * time, with a preemption point after each. Returns MK_OK, or
 * MK_PREEMPTED with the rest still in place (revoking again goes on). */
int mk_cte_revoke(struct mk_kernel *k, struct mk_cte *slot)
{
        int r;

        while (mk_mdb_has_children(slot)) {
                r = delete_one(k, slot->next, true);
                if (r == MK_OK)
                        r = drain(k, true);
                if (r != MK_OK)
                        return r;
                if (mk_preempt_pending(k))
                        return mk_mdb_has_children(slot) ? MK_PREEMPTED : MK_OK;
        }
        return MK_OK;
}

/* mk_cte_delete_preemptible: CNODE_DELETE: as mk_cte_delete, but the
 * descendants of a root cap (an Untyped from boot: maybe thousands) go
 * first through mk_cte_revoke. Returns MK_OK or MK_PREEMPTED. */
int mk_cte_delete_preemptible(struct mk_kernel *k, struct mk_cte *slot)
{
        int r;

        if (mk_mdb_is_root(slot)) {
                r = mk_cte_revoke(k, slot);
                if (r != MK_OK)
                        return r;
        }
        r = delete_one(k, slot, true);
        return r == MK_OK ? drain(k, true) : r;
}
