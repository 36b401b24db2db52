/* kernel/core/vspace.c: x86-64 4-level page tables as kernel objects.
 * A table object is 8 KiB: the 4 KiB hardware table, then a 4 KiB shadow
 * holding, per entry, the slot of the cap that mapped it. A mapped cap
 * records the entry's address, so unmapping is exact both ways: deleting
 * the cap clears the entry, destroying the table unmaps the caps. The arch
 * layer loads PML4s and flushes TLBs (k->arch->tlb_flush_page, called
 * for every frame whose mapping goes); here they are data. */
#include "kernel.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

static struct mk_cte **shadow_of(uint64_t *entry)
{
        return (struct mk_cte **)(entry + MK_TABLE_ENTRIES);
}

/* The table the entry points to, or NULL when absent or a large page. */
static uint64_t *next_table(struct mk_kernel *k, uint64_t *table, uint64_t vaddr,
                            unsigned shift)
{
        uint64_t e = table[(vaddr >> shift) & 511];

        if (!(e & PTE_P) || (e & PTE_PS))
                return NULL;
        return (uint64_t *)((e & PTE_ADDR) + k->phys_offset);
}

/* Parent table level (its index shift) for each mappable type. */
static unsigned parent_shift(const struct mk_cap *c)
{
        switch (c->type) {
        case MK_OBJ_PDPT: return 39;
        case MK_OBJ_PD: return 30;
        case MK_OBJ_PT: return 21;
        case MK_OBJ_FRAME: return c->bits == MK_FRAME_BITS ? 12 : 21;
        default: return 0;
        }
}

static int find_entry(struct mk_kernel *k, uint64_t *pml4, uint64_t vaddr,
                      unsigned shift, uint64_t **ret)
{
        uint64_t *t = pml4;

        for (unsigned s = 39; s > shift; s -= 9) {
                t = next_table(k, t, vaddr, s);
                if (!t)
                        return MK_E_LOOKUP;
        }
        *ret = &t[(vaddr >> shift) & 511];
        return MK_OK;
}

/* The cache and execute bits of a frame's entry (see MK_IA32_PAT in
 * kernel.h): device memory is uncached unless write-combining is asked,
 * uncached wins over write-combining. */
static uint64_t frame_attrs(const struct mk_kernel *k, const struct mk_cap *c, uint64_t attrs)
{
        uint64_t f = 0;

        if ((attrs & MK_MAP_EXECUTE_NEVER) && k->nx)
                f |= PTE_NX;
        if (attrs & MK_MAP_UNCACHED)
                f |= PTE_PCD | PTE_PWT;
        else if (attrs & MK_MAP_WRITE_COMBINING)
                f |= PTE_PWT;
        else if (c->flags & MK_CAPF_DEVICE)
                f |= PTE_PCD | PTE_PWT;
        return f;
}

static int map(struct mk_kernel *k, struct mk_cte *slot)
{
        struct mk_cap *c = &slot->cap;
        uint64_t vaddr = mk_arg(k, 1), rights = mk_arg(k, 2), attrs = mk_arg(k, 3), *e, flags;
        unsigned shift = parent_shift(c);
        struct mk_cte *vs;
        int r;

        if (shift == 0)
                return MK_E_ILLEGAL_OP;
        if (rights > MK_RIGHTS_ALL || attrs > MK_MAP_ATTRS_ALL)
                return MK_E_INVALID_ARG;
        r = mk_cap_arg(k, 0, MK_OBJ_PML4, 0, &vs);
        if (r != MK_OK)
                return r;
        if (vaddr >= MK_USER_TOP)
                return MK_E_RANGE;
        if (vaddr & mk_mask(shift))
                return MK_E_ALIGNMENT;
        if (c->mapped)
                return MK_E_DELETE_FIRST;
        r = find_entry(k, (uint64_t *)vs->cap.obj, vaddr, shift, &e);
        if (r != MK_OK)
                return r;
        if (*e & PTE_P)
                return MK_E_DELETE_FIRST;
        flags = PTE_P | PTE_US;
        if (c->type != MK_OBJ_FRAME || (rights & c->rights & MK_RIGHT_WRITE))
                flags |= PTE_RW;
        if (c->type == MK_OBJ_FRAME) {
                if (!(rights & c->rights & MK_RIGHT_READ))
                        return MK_E_RIGHTS;
                flags |= frame_attrs(k, c, attrs);
                if (shift == 21)
                        flags |= PTE_PS;
        }
        *e = ((uint64_t)(c->obj - k->phys_offset) & PTE_ADDR) | flags;
        *shadow_of(e) = slot;
        c->mapped = (uintptr_t)e;
        c->word = vaddr;
        return MK_OK;
}

/* Flush the TLB entry of every frame mapped at or below the frame or
 * table cap c (levels: how many table levels may lie below). */
static void flush_mapped(struct mk_kernel *k, const struct mk_cap *c, unsigned levels)
{
        struct mk_cte **sh;

        if (c->type == MK_OBJ_FRAME) {
                k->arch->tlb_flush_page(c->word);
                return;
        }
        if (levels == 0)
                return;
        sh = shadow_of((uint64_t *)c->obj);
        for (unsigned i = 0; i < MK_TABLE_ENTRIES; i++)
                if (sh[i])
                        flush_mapped(k, &sh[i]->cap, levels - 1);
}

/* mk_page_unmap: clear the mapping the frame or table cap made, if any,
 * and flush what the TLB may hold of it. */
void mk_page_unmap(struct mk_kernel *k, struct mk_cap *cap)
{
        uint64_t *e = (uint64_t *)cap->mapped;

        if (!e)
                return;
        *e = 0;
        *shadow_of(e) = NULL;
        if (k->arch && k->arch->tlb_flush_page)
                flush_mapped(k, cap, 3);
        cap->mapped = 0;
        cap->word = 0;
}

/* mk_table_clear: the table goes away: every cap mapped in it is unmapped. */
void mk_table_clear(struct mk_kernel *k, struct mk_cap *cap)
{
        uint64_t *t = (uint64_t *)cap->obj;
        struct mk_cte **sh = shadow_of(t);

        for (unsigned i = 0; i < MK_TABLE_ENTRIES; i++)
                if (sh[i])
                        mk_page_unmap(k, &sh[i]->cap);
}

/* mk_page_moved: a mapped cap moved to slot: point the shadow at it. */
void mk_page_moved(struct mk_cte *slot)
{
        if ((slot->cap.type == MK_OBJ_FRAME || mk_cap_is_table(slot->cap.type)) &&
            slot->cap.mapped)
                *shadow_of((uint64_t *)slot->cap.mapped) = slot;
}

/* mk_page_invoke: MK_PAGE_MAP / MK_PAGE_UNMAP on a frame or table cap.
 * Returns MK_OK or MK_E_*. */
int mk_page_invoke(struct mk_kernel *k, struct mk_cte *slot, uint64_t label)
{
        switch (label) {
        case MK_PAGE_MAP:
                return map(k, slot);
        case MK_PAGE_UNMAP:
                mk_page_unmap(k, &slot->cap);
                return MK_OK;
        default:
                return MK_E_INVALID_ARG;
        }
}
