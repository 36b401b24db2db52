/* kernel/arch/x86_64/memmap.c: a normalised memory map (bootinfo.h: page
 * granular, sorted, no overlaps, neighbours of one type merged) from
 * overlapping input ranges. Where ranges overlap, the one with the
 * higher priority wins: anything beats usable RAM, and ranges added with
 * arch_memmap_claim (the kernel, the module) beat everything. */
#include "memmap.h"

uint32_t arch_memmap_e820_type(uint32_t t)
{
        switch (t) {
        case 1: return THATTE_MEM_USABLE;
        case 3: return THATTE_MEM_ACPI_RECLAIM;
        case 4: return THATTE_MEM_ACPI_NVS;
        case 5: return THATTE_MEM_BAD;
        default: return THATTE_MEM_RESERVED;
        }
}

void arch_memmap_init(struct arch_memmap *m)
{
        m->n = 0;
}

static void add(struct arch_memmap *m, uint64_t base, uint64_t end, uint32_t type,
                unsigned prio)
{
        if (end <= base || m->n >= ARCH_MEMMAP_INPUT)
                return;
        m->in[m->n].base = base;
        m->in[m->n].end = end;
        m->in[m->n].type = type;
        m->in[m->n].prio = prio;
        m->n++;
}

void arch_memmap_add(struct arch_memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
        uint64_t end = base + size;

        if (type == THATTE_MEM_USABLE)          /* RAM shrinks to whole pages */
                add(m, (base + 4095) & ~4095ull, end & ~4095ull, type, 0);
        else                                    /* anything else grows to them */
                add(m, base & ~4095ull, (end + 4095) & ~4095ull, type, 1 + type);
}

void arch_memmap_claim(struct arch_memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
        add(m, base & ~4095ull, (base + size + 4095) & ~4095ull, type, 100 + type);
}

/* The winning type of the point p, 0 when no range covers it. */
static uint32_t type_at(const struct arch_memmap *m, uint64_t p)
{
        unsigned best = 0;
        uint32_t type = 0;

        for (unsigned i = 0; i < m->n; i++) {
                if (p < m->in[i].base || p >= m->in[i].end)
                        continue;
                if (!type || m->in[i].prio > best) {
                        best = m->in[i].prio;
                        type = m->in[i].type;
                }
        }
        return type;
}

static unsigned sorted_points(const struct arch_memmap *m, uint64_t *pts)
{
        unsigned n = 0;

        for (unsigned i = 0; i < m->n; i++) {
                pts[n++] = m->in[i].base;
                pts[n++] = m->in[i].end;
        }
        for (unsigned i = 1; i < n; i++) {      /* insertion sort: a few dozen points */
                uint64_t v = pts[i];
                unsigned j = i;

                for (; j && pts[j - 1] > v; j--)
                        pts[j] = pts[j - 1];
                pts[j] = v;
        }
        return n;
}

unsigned arch_memmap_build(const struct arch_memmap *m, struct thatte_mem_range *out,
                           unsigned max)
{
        uint64_t pts[2 * ARCH_MEMMAP_INPUT];
        unsigned np = sorted_points(m, pts), n = 0;

        for (unsigned i = 0; i + 1 < np; i++) {
                uint64_t base = pts[i], end = pts[i + 1];
                uint32_t type;

                if (end == base)
                        continue;
                type = type_at(m, base);
                if (!type)
                        continue;
                if (n && out[n - 1].type == type && out[n - 1].base + out[n - 1].size == base) {
                        out[n - 1].size += end - base;
                        continue;
                }
                if (n == max)
                        break;
                out[n].base = base;
                out[n].size = end - base;
                out[n].type = type;
                out[n].pad = 0;
                n++;
        }
        return n;
}
