/* kernel/arch/x86_64/memmap.h: building a normalised memory map. */
#ifndef THATTE_ARCH_MEMMAP_H
#define THATTE_ARCH_MEMMAP_H

#include <stdint.h>

#include "thatte/bootinfo.h"

#define ARCH_MEMMAP_INPUT 136

struct arch_memmap {
        unsigned n;
        struct {
                uint64_t base, end;
                uint32_t type;
                unsigned prio;
        } in[ARCH_MEMMAP_INPUT];
};

/* arch_memmap_e820_type: the thatte type of an E820 type (as PVH and
 * Multiboot2 report them); unknown types are RESERVED. */
uint32_t arch_memmap_e820_type(uint32_t t);

void arch_memmap_init(struct arch_memmap *m);
/* arch_memmap_add: a range the firmware reported (usable RAM loses to any
 * other type where they overlap). */
void arch_memmap_add(struct arch_memmap *m, uint64_t base, uint64_t size, uint32_t type);
/* arch_memmap_claim: a range that wins over everything (kernel, module). */
void arch_memmap_claim(struct arch_memmap *m, uint64_t base, uint64_t size, uint32_t type);
/* arch_memmap_build: the normalised map into out (at most max entries).
 * Returns the number of entries. */
unsigned arch_memmap_build(const struct arch_memmap *m, struct thatte_mem_range *out,
                           unsigned max);

#endif
