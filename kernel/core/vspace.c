/* kernel/core/vspace.c: 4-level page tables as kernel objects (x86-64
 * PML4/PDPT/PD/PT, aarch64 levels 0..3: the arch header's core.h encodes
 * the entries). A guest space (MK_OBJ_GSPACE) is a PML4 of guest-physical
 * addresses for nested paging: the same entries, the same rules, no
 * kernel half.
 * A table object is 8 KiB: the 4 KiB hardware table, then a 4 KiB shadow
 * holding, per entry, the slot of the cap that mapped it. A mapped cap
 * records the entry's address and the virtual address, so unmapping is
 * exact both ways. The lifecycle keeps one invariant (kernel/README.md,
 * "Address spaces"): every present entry reachable from a PML4 is recorded
 * by exactly one cap, and every recorded mapping is such an entry.
 *   - A table object is mapped at most once, whichever of its caps asks
 *     (MK_TABLE_MAPPED in its shadow).
 *   - Only a mapped table holds entries: unmapping a table, or deleting the
 *     cap that mapped it, empties it and everything below it, and every cap
 *     whose mapping goes is told so.
 *     Cut off and flushed first, the subtree is then emptied in bounded
 *     steps (MK_TABLE_EMPTYING, preemptible).
 *   - Whatever stops translating is flushed: one request for the range a
 *     frame or a table covered (an empty table too: the paging-structure
 *     caches may hold the entry that pointed to it), the whole user half
 *     for a PML4 that held anything.
 *   - Only an invalid entry is ever written (no break-before-make needed);
 *     the arch layer hears of each new one (k->arch->entry_made), and of
 *     a frame about to be mapped executable (k->arch->code_sync). The arch layer flushes
 *     (k->arch->tlb_flush), in the address space named by its root (each
 *     mapped cap's slot records it); here the tables are data. */
#include "kernel.h"

static uintptr_t *shadow_of(uint64_t *entry)
{
        return (uintptr_t *)(entry + MK_TABLE_ENTRIES);
}

/* Name slot in the shadow of entry, keeping the table's own mapped bit. */
static void set_slot(uint64_t *entry, struct mk_cte *slot)
{
        uintptr_t *w = shadow_of(entry);

        *w = (*w & MK_TABLE_FLAGS) | (uintptr_t)slot;
}

static bool table_mapped(uintptr_t table)
{
        return *shadow_of((uint64_t *)table) & MK_TABLE_MAPPED;
}

static void flush(struct mk_kernel *k, uintptr_t root, uint64_t vaddr, unsigned bits)
{
        if (k->arch && k->arch->tlb_flush)
                k->arch->tlb_flush((const uint64_t *)root, vaddr, bits);
}

/* The table the entry points to, or NULL when absent or a large page. */
static uint64_t *next_table(struct mk_kernel *k, uint64_t *table, uint64_t vaddr,
                            unsigned shift)
{
        uint64_t e = table[(vaddr >> shift) & (MK_TABLE_ENTRIES - 1)];

        if (!mk_pte_is_table(e, shift))
                return NULL;
        return (uint64_t *)(mk_pte_paddr(e) + k->phys_offset);
}

/* Parent table level (its index shift) for each mappable type: a PDPT
 * goes into the root, each lower table one level further down. */
static unsigned parent_shift(const struct mk_cap *c)
{
        switch (c->type) {
        case MK_OBJ_PDPT: return MK_PT_TOP_SHIFT;
        case MK_OBJ_PD: return MK_PT_TOP_SHIFT - MK_PT_LEVEL_BITS;
        case MK_OBJ_PT: return MK_PT_TOP_SHIFT - 2 * MK_PT_LEVEL_BITS;
        case MK_OBJ_FRAME: return c->bits == MK_FRAME_BITS ? MK_FRAME_BITS : MK_LARGE_FRAME_BITS;
        default: return 0;
        }
}

static int find_entry(struct mk_kernel *k, uint64_t *pml4, uint64_t vaddr,
                      unsigned shift, uint64_t **ret)
{
        uint64_t *t = pml4;

        for (unsigned s = MK_PT_TOP_SHIFT; s > shift; s -= MK_PT_LEVEL_BITS) {
                t = next_table(k, t, vaddr, s);
                if (!t)
                        return MK_E_LOOKUP;
        }
        *ret = &t[(vaddr >> shift) & (MK_TABLE_ENTRIES - 1)];
        return MK_OK;
}

/* The memory type of a frame's mapping: device memory is uncached
 * unless write-combining is asked, uncached wins over write-combining. */
static unsigned frame_mem(const struct mk_cap *c, uint64_t attrs)
{
        if (attrs & MK_MAP_UNCACHED)
                return MK_MEM_UNCACHED;
        if (attrs & MK_MAP_WRITE_COMBINING)
                return MK_MEM_WRITE_COMBINING;
        return c->flags & MK_CAPF_DEVICE ? MK_MEM_UNCACHED : MK_MEM_NORMAL;
}

/* The entry mapping frame c (at paddr) with write and attrs; an
 * executable one of cacheable memory is made coherent for instruction
 * fetches first (whatever wrote it wrote through the data side). */
static uint64_t frame_entry(struct mk_kernel *k, const struct mk_cap *c, uint64_t paddr,
                            unsigned shift, bool write, uint64_t attrs)
{
        bool xn = (attrs & MK_MAP_EXECUTE_NEVER) && k->nx;
        unsigned mem = frame_mem(c, attrs);

        if (!xn && mem != MK_MEM_UNCACHED && k->arch && k->arch->code_sync)
                k->arch->code_sync((const void *)c->obj, (size_t)1 << c->bits);
        return mk_pte_frame(paddr, shift, write, xn, mem);
}

static int map(struct mk_kernel *k, struct mk_cte *slot)
{
        struct mk_cap *c = &slot->cap;
        uint64_t vaddr = mk_arg(k, 1), rights = mk_arg(k, 2), attrs = mk_arg(k, 3), *e, paddr;
        unsigned shift = parent_shift(c);
        struct mk_cte *vs;
        int r;

        if (shift == 0)
                return MK_E_ILLEGAL_OP;
        if (rights > MK_RIGHTS_ALL || attrs > MK_MAP_ATTRS_ALL)
                return MK_E_INVALID_ARG;
        r = mk_cap_arg(k, 0, MK_OBJ_PML4, 0, &vs);
        if (r == MK_E_WRONG_TYPE)
                r = mk_cap_arg(k, 0, MK_OBJ_GSPACE, 0, &vs);
        if (r != MK_OK)
                return r;
        if (vaddr >= MK_USER_TOP)
                return MK_E_RANGE;
        if (vaddr & mk_mask(shift))
                return MK_E_ALIGNMENT;
        if (c->mapped || (c->type != MK_OBJ_FRAME && table_mapped(c->obj)))
                return MK_E_DELETE_FIRST;       /* one mapping per cap, per table object */
        r = find_entry(k, (uint64_t *)vs->cap.obj, vaddr, shift, &e);
        if (r != MK_OK)
                return r;
        if (mk_pte_valid(*e) || mk_table_slot(e))
                return MK_E_DELETE_FIRST;       /* an entry of a PML4 being emptied too */
        paddr = (uint64_t)(c->obj - k->phys_offset);
        if (c->type != MK_OBJ_FRAME)
                *e = mk_pte_table(paddr);
        else if (!(rights & c->rights & MK_RIGHT_READ))
                return MK_E_RIGHTS;
        else
                *e = frame_entry(k, c, paddr, shift, rights & c->rights & MK_RIGHT_WRITE, attrs);
        if (k->arch && k->arch->entry_made)
                k->arch->entry_made();
        set_slot(e, slot);
        c->mapped = (uintptr_t)e;
        c->word = vaddr;
        slot->space = vs->cap.obj;
        if (c->type != MK_OBJ_FRAME)
                *shadow_of((uint64_t *)c->obj) |= MK_TABLE_MAPPED;
        return MK_OK;
}

/* A PML4 or a guest space: never mapped, cleared whole when it goes. */
static bool root_table(uint8_t type)
{
        return type == MK_OBJ_PML4 || type == MK_OBJ_GSPACE;
}

/* Entries emptied between preemption points. */
#define MK_EMPTY_STEP 64u

static uintptr_t table_flags(uintptr_t table)
{
        return *shadow_of((uint64_t *)table) & MK_TABLE_FLAGS;
}

static void set_table_flags(uintptr_t table, uintptr_t flags)
{
        uintptr_t *w = shadow_of((uint64_t *)table);

        *w = (*w & ~MK_TABLE_FLAGS) | flags;
}

/* Clear every entry of table t and forget the mappings of the caps that
 * filled them, the tables below first (at most three levels). No walk
 * reaches t any more: its entry in the parent (for a PML4, its user
 * entries) went and was flushed first, so nothing here needs a flush.
 * With preemptible, stop with MK_PREEMPTED when an interrupt waits (asked
 * every MK_EMPTY_STEP entries, *n counts them): what is done is done,
 * running it again goes on with what the shadows still name. */
static int empty(struct mk_kernel *k, uint64_t *t, bool preemptible, unsigned *n)
{
        for (unsigned i = 0; i < MK_TABLE_ENTRIES; i++) {
                struct mk_cte *s = mk_table_slot(&t[i]);
                int r;

                if (!s)
                        continue;
                if (s->cap.type != MK_OBJ_FRAME) {
                        r = empty(k, (uint64_t *)s->cap.obj, preemptible, n);
                        if (r != MK_OK)
                                return r;
                        set_table_flags(s->cap.obj, 0);
                }
                t[i] = 0;
                set_slot(&t[i], NULL);
                s->cap.mapped = 0;
                s->cap.word = 0;
                if (preemptible && ++*n % MK_EMPTY_STEP == 0 && mk_preempt_pending(k))
                        return MK_PREEMPTED;
        }
        return MK_OK;
}

/* Go on emptying the detached table t (flag EMPTYING): when done it is
 * no longer mapped and may be mapped again. */
static int finish(struct mk_kernel *k, uintptr_t t, bool preemptible)
{
        unsigned n = 0;
        int r = empty(k, (uint64_t *)t, preemptible, &n);

        if (r == MK_OK)
                set_table_flags(t, 0);
        return r;
}

/* mk_page_unmap: clear the mapping the frame or table cap made, if any,
 * and ask for the range it covered to be flushed, at once. A table is
 * then emptied; it stays flagged EMPTYING (and mapped: nobody maps it)
 * until that is done, so an unmap or delete of any of its caps goes on
 * where a preempted one stopped. Returns MK_OK or (preemptible)
 * MK_PREEMPTED. */
int mk_page_unmap(struct mk_kernel *k, struct mk_cte *slot, bool preemptible)
{
        struct mk_cap *cap = &slot->cap;
        uint64_t *e = (uint64_t *)cap->mapped, vaddr = cap->word;

        if (e) {
                *e = 0;
                set_slot(e, NULL);
                cap->mapped = 0;
                cap->word = 0;
                flush(k, slot->space, vaddr, parent_shift(cap));
                if (cap->type != MK_OBJ_FRAME)
                        set_table_flags(cap->obj, MK_TABLE_MAPPED | MK_TABLE_EMPTYING);
        }
        if (cap->type == MK_OBJ_FRAME || root_table(cap->type) ||
            !(table_flags(cap->obj) & MK_TABLE_EMPTYING))
                return MK_OK;
        return finish(k, cap->obj, preemptible);
}

/* mk_table_clear: the last cap to a table goes. A lower table holds
 * nothing by then (mk_page_unmap emptied it). A PML4's user entries are
 * cleared and the user half flushed at once (again on a run after a
 * preemption if anything was mapped meanwhile), then the tables below
 * are emptied as an unmapped table is (a guest space likewise: its
 * entries lie in the same lower half). Returns MK_OK or (preemptible)
 * MK_PREEMPTED. */
int mk_table_clear(struct mk_kernel *k, struct mk_cap *cap, bool preemptible)
{
        uint64_t *t = (uint64_t *)cap->obj;
        bool held = false;

        if (!root_table(cap->type))
                return table_flags(cap->obj) & MK_TABLE_EMPTYING ? finish(k, cap->obj, preemptible)
                                                                 : MK_OK;
        for (unsigned i = 0; i < MK_ROOT_USER_ENTRIES; i++)
                if (mk_pte_valid(t[i])) {
                        t[i] = 0;
                        held = true;
                }
        if (held)
                flush(k, cap->obj, 0, MK_USER_BITS);
        set_table_flags(cap->obj, MK_TABLE_EMPTYING);
        return finish(k, cap->obj, preemptible);
}

/* mk_page_moved: a mapped cap moved to slot: point the shadow at it. */
void mk_page_moved(struct mk_cte *slot)
{
        if ((slot->cap.type == MK_OBJ_FRAME || mk_cap_is_table(slot->cap.type)) &&
            slot->cap.mapped)
                set_slot((uint64_t *)slot->cap.mapped, slot);
}

/* mk_page_invoke: MK_PAGE_MAP / MK_PAGE_UNMAP on a frame or table cap.
 * Returns MK_OK or MK_E_*. */
int mk_page_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        switch (label) {
        case MK_PAGE_MAP:
                return map(k, slot);
        case MK_PAGE_UNMAP:
                return mk_page_unmap(k, slot, true);
        default:
                return MK_E_INVALID_ARG;
        }
}
