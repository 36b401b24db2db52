/* kernel/root/aarch64/ecam-bars.c: see ecam-bars.h. */
#include "ecam-bars.h"

#define PAGE 4096u

uint64_t rt_bar_size(uint32_t lo, uint32_t hi, int is64)
{
        uint64_t mask = (uint64_t)(is64 ? hi : 0xffffffffu) << 32 | (lo & ~0xfu), size;

        if (!(mask & 0xffffffffu) && (!is64 || !hi))
                return 0;
        size = ~mask + 1;
        return size && !(size & (size - 1)) && size >= 16 ? size : 0;
}

uint8_t rt_bar_rank(uint32_t id)
{
        if (id == (0x1111u << 16 | 0x1234u))
                return 0;
        if (id == (0x1110u << 16 | 0x1af4u))
                return 1;
        return 2;
}

void rt_bar_place(struct rt_bar_req *q, unsigned n, uint64_t base, uint64_t size, uint64_t bus_base)
{
        uint64_t next = base, end = base + size, align, at;

        if (end < base)
                end = UINT64_MAX;
        for (unsigned rank = 0; rank < 3; rank++)
                for (unsigned i = 0; i < n; i++) {
                        if (q[i].rank != rank)
                                continue;
                        q[i].placed = 0;
                        align = q[i].size > PAGE ? q[i].size : PAGE;
                        if (!q[i].size || next > UINT64_MAX - align)
                                continue;
                        at = (next + align - 1) & ~(align - 1);
                        if (at < next || at > end || end - at < q[i].size)
                                continue;
                        if (!q[i].is64 && (at - base + bus_base > UINT32_MAX ||
                                           at - base + bus_base + q[i].size - 1 > UINT32_MAX))
                                continue;
                        q[i].addr = at;
                        q[i].bus_addr = at - base + bus_base;
                        q[i].placed = 1;
                        next = at + (q[i].size > PAGE ? q[i].size : PAGE);
                }
}
