/* efi/boot-pagetable.c: four-level x86-64 paging (Intel SDM vol. 3,
 * "4-Level Paging"): PML4 index = va[47:39], PDPT index = va[38:30], page
 * directory index = va[29:21]; a PDE with PS set maps 2 MiB. The kernel's
 * window THATTE_KERNEL_VBASE = 0xffffffff80000000 is PML4 slot 511, PDPT
 * slot 510, so the high PDPT points at the same directory as [0, 1 GiB). */
#include "boot-pagetable.h"

#include <thatte/bootinfo.h>

#define ENTRIES 512
#define PAGE 4096ull
#define GIB (1ull << 30)
#define MIB2 (2ull << 20)
#define TABLE_FLAGS (BOOT_PT_PRESENT | BOOT_PT_WRITE)

enum { PML4, PDPT_LOW, PDPT_HIGH, PD0 };

static unsigned index_of(uint64_t va, unsigned shift)
{
        return (unsigned)(va >> shift) & (ENTRIES - 1);
}

uint64_t boot_pt_build(uint64_t *tables, uint64_t phys)
{
        uint64_t *pml4 = tables + PML4 * ENTRIES, *low = tables + PDPT_LOW * ENTRIES;
        uint64_t *high = tables + PDPT_HIGH * ENTRIES;

        for (unsigned i = 0; i < BOOT_PT_PAGES * ENTRIES; i++)
                tables[i] = 0;
        pml4[0] = (phys + PDPT_LOW * PAGE) | TABLE_FLAGS;
        pml4[index_of(THATTE_KERNEL_VBASE, 39)] = (phys + PDPT_HIGH * PAGE) | TABLE_FLAGS;
        for (unsigned g = 0; g < 4; g++) {
                uint64_t *pd = tables + (PD0 + g) * ENTRIES;

                low[g] = (phys + (PD0 + g) * PAGE) | TABLE_FLAGS;
                for (unsigned i = 0; i < ENTRIES; i++)
                        pd[i] = (g * GIB + i * MIB2) | TABLE_FLAGS | BOOT_PT_LARGE;
        }
        high[index_of(THATTE_KERNEL_VBASE, 30)] = (phys + PD0 * PAGE) | TABLE_FLAGS;
        return phys;
}
