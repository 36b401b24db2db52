/* kernel/arch/aarch64/direct-map.c: see direct-map.h. */
#include <stdbool.h>
#include <stddef.h>

#include "asm.h"
#include "direct-map.h"

#define GIB (1ull << 30)
#define MIB2 (2ull << 20)
#define DESC_ADDR 0xfffffffff000ull
#define DESC_VALID 1ull
#define DESC_TABLE 3ull

static bool is_table(uint64_t e)
{
        return (e & 3) == DESC_TABLE;
}

static uint64_t *table_of(const struct dmap *d, uint64_t e)
{
        return (uint64_t *)(uintptr_t)((e & DESC_ADDR) + d->offset);
}

static uint64_t desc_of(const struct dmap *d, const uint64_t *t)
{
        return ((uint64_t)(uintptr_t)t - d->offset) | DESC_TABLE;
}

/* The table *e names, or a spare one (zero) linked there; NULL when *e is
 * a block or no spare is left. */
static uint64_t *next(struct dmap *d, uint64_t *e, uint64_t (*spare)[512], unsigned spares,
                      unsigned *used)
{
        uint64_t *t;

        if (is_table(*e))
                return table_of(d, *e);
        if ((*e & DESC_VALID) || *used == spares)
                return NULL;
        t = spare[(*used)++];
        d->publish();
        *e = desc_of(d, t);
        return t;
}

/* [lo, hi) (2 MiB aligned, inside GiB g, whose level-1 entry is *l1e):
 * the GiB as one block when that is all of it and nothing maps any of it,
 * else 2 MiB blocks in its level-2 table (filled before it is linked). */
static bool map_gib(struct dmap *d, uint64_t *l1e, uint64_t g, uint64_t lo, uint64_t hi)
{
        uint64_t *t;

        if ((*l1e & DESC_VALID) && !is_table(*l1e))
                return true;
        if (!(*l1e & DESC_VALID) && lo == g * GIB && hi == (g + 1) * GIB) {
                *l1e = g * GIB | BLOCK_NORMAL;
                return true;
        }
        if (is_table(*l1e))
                t = table_of(d, *l1e);
        else if (d->l2_used < d->l2_spares)
                t = d->l2_spare[d->l2_used++];
        else
                return false;
        for (uint64_t m = lo; m < hi; m += MIB2)
                t[m / MIB2 % 512] = m | BLOCK_NORMAL;
        if (!is_table(*l1e)) {
                d->publish();
                *l1e = desc_of(d, t);
        }
        return true;
}

uint64_t dmap_add(struct dmap *d, uint64_t base, uint64_t top)
{
        uint64_t lo = base & ~(MIB2 - 1), hi, g, *l1 = NULL;

        if (top > d->pa_top)
                top = d->pa_top;
        if (top <= base)
                return base;
        hi = (top + MIB2 - 1) & ~(MIB2 - 1);
        for (g = lo / GIB; g * GIB < hi; g++) {
                uint64_t from = g * GIB > lo ? g * GIB : lo;
                uint64_t to = (g + 1) * GIB < hi ? (g + 1) * GIB : hi;

                if (!l1 || g % 512 == 0)
                        l1 = next(d, &d->l0[g / 512], d->l1_spare, d->l1_spares, &d->l1_used);
                if (!l1 || (g && !map_gib(d, &l1[g % 512], g, from, to)))
                        break;
        }
        if (g * GIB >= hi)
                return top;
        return g * GIB > base ? g * GIB : base;
}
