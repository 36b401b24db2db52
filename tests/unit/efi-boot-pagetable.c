/* tests/unit/efi-boot-pagetable.c: walks the loader's handoff page tables
 * as the MMU would and checks what the handoff promises (bootinfo.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "boot-pagetable.h"
#include "tests/tap.h"

#define PHYS 0x7000000ull
#define ADDR_MASK 0x000ffffffffff000ull

static uint64_t *tables;

/* The physical address va maps to, or -1 when it is not mapped. */
static uint64_t walk(uint64_t va)
{
        uint64_t e = PHYS | 0;
        unsigned shifts[] = { 39, 30, 21 };

        for (unsigned level = 0; level < 3; level++) {
                uint64_t *t = tables + ((e & ADDR_MASK) - PHYS) / 8;

                e = t[(va >> shifts[level]) & 511];
                if (!(e & BOOT_PT_PRESENT) || !(e & BOOT_PT_WRITE))
                        return (uint64_t)-1;
                if (level == 2)
                        return (e & BOOT_PT_LARGE) ? (e & 0xfffffffe00000ull) + (va & 0x1fffff)
                                                   : (uint64_t)-1;
                if (e & BOOT_PT_LARGE)
                        return (uint64_t)-1;
                if ((e & ADDR_MASK) < PHYS || (e & ADDR_MASK) >= PHYS + BOOT_PT_PAGES * 4096)
                        return (uint64_t)-1;
        }
        return (uint64_t)-1;
}

int main(void)
{
        int identity = 1;

        tables = malloc(BOOT_PT_PAGES * 4096);
        for (unsigned i = 0; i < BOOT_PT_PAGES * 512; i++)
                tables[i] = 0xdeadbeefdeadbeefull;
        ok(boot_pt_build(tables, PHYS) == PHYS, "CR3 value is the PML4's address");
        for (uint64_t va = 0; va < (4ull << 30); va += 0x1ff000)
                identity &= walk(va) == va;
        ok(identity, "[0, 4 GiB) identity mapped");
        ok(walk(0xfffff000ull) == 0xfffff000ull, "last page below 4 GiB");
        ok(walk(4ull << 30) == (uint64_t)-1, "4 GiB not mapped");
        ok(walk(0xffffffff80200000ull) == 0x200000, "kernel window: VBASE + 2 MiB -> 2 MiB");
        ok(walk(0xffffffffbfffffffull) == 0x3fffffff, "kernel window ends at 1 GiB");
        ok(walk(0xffffffffc0000000ull) == (uint64_t)-1, "nothing above VBASE + 1 GiB");
        ok(walk(0x0000800000000000ull - 4096) == (uint64_t)-1, "top of the user half unmapped");
        ok((tables[0] & 0xfff) == (BOOT_PT_PRESENT | BOOT_PT_WRITE), "PML4 entry: present, writable, no NX");
        free(tables);
        return tap_done();
}
