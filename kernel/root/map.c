/* kernel/root/map.c: mapping a frame with whatever page tables are missing.
 * PAGE_MAP answers MK_E_LOOKUP when a level above the entry is absent; then
 * the table for the next level up is retyped and mapped (recursively), and
 * the mapping is tried again. Tables are only made when they are needed. */
#include "root.h"

/* level 0: PT (covers 2 MiB), 1: PD (1 GiB), 2: PDPT (512 GiB). */
static const uint64_t table_type[3] = { MK_OBJ_PT, MK_OBJ_PD, MK_OBJ_PDPT };
static const unsigned table_shift[3] = { 21, 30, 39 };

static int add_table(uint64_t pml4, unsigned level, uint64_t vaddr)
{
        uint64_t t = rt_new(table_type[level], 0);
        uint64_t base = vaddr & ~((1ull << table_shift[level]) - 1);
        int r;

        r = mku_page_map(t, pml4, base, MK_RIGHTS_ALL, 0);
        if (r == MK_E_LOOKUP && level < 2) {
                r = add_table(pml4, level + 1, vaddr);
                if (r == MK_OK)
                        r = mku_page_map(t, pml4, base, MK_RIGHTS_ALL, 0);
        }
        return r;
}

int rt_map_sized(uint64_t pml4, uint64_t frame, uint64_t vaddr, uint64_t rights,
                 uint64_t attrs, int large)
{
        int r = mku_page_map(frame, pml4, vaddr, rights, attrs);

        if (r != MK_E_LOOKUP)
                return r;
        r = add_table(pml4, large ? 1 : 0, vaddr);
        if (r != MK_OK)
                return r;
        return mku_page_map(frame, pml4, vaddr, rights, attrs);
}

int rt_map(uint64_t pml4, uint64_t frame, uint64_t vaddr, uint64_t rights, uint64_t attrs)
{
        return rt_map_sized(pml4, frame, vaddr, rights, attrs, 0);
}
