/* kernel/arch/aarch64/direct-map.h: the kernel half's direct map of RAM
 * (physical P at KERNEL_VBASE + P) as page-table data: RAM ranges become
 * 1 GiB blocks where they fill a GiB, 2 MiB blocks in a level-2 table
 * where they fill it in part, under one level-1 table per 512 GiB, the
 * tables beyond head.S's taken from spare ones. Freestanding and pure (the
 * barrier through a hook): mmu.c runs it on the live tables,
 * tests/kernel/aarch64-direct-map.c on the host. */
#ifndef THATTE_MK_A64_DIRECT_MAP_H
#define THATTE_MK_A64_DIRECT_MAP_H

#include <stdint.h>

struct dmap {
        uint64_t *l0;                   /* the level-0 table */
        uint64_t (*l1_spare)[512], (*l2_spare)[512];
        unsigned l1_spares, l2_spares, l1_used, l2_used;
        uint64_t offset;                /* a table's address: its physical one + offset */
        uint64_t pa_top;                /* the CPU's physical addresses end here */
        void (*publish)(void);          /* a new table's entries reach the walker
                                         * before the entry naming it does */
};

/* dmap_add: physical [base, top) (rounded out to 2 MiB) into the map. GiB
 * 0 is the devices' and is left alone; a GiB already one block holds what
 * it holds; entries only go from invalid to valid or keep their value.
 * Returns the end of what is mapped from base on: top, or less where
 * pa_top or the spare tables end (base itself when nothing was). */
uint64_t dmap_add(struct dmap *d, uint64_t base, uint64_t top);

#endif
