/* tests/kernel/aarch64-direct-map.c: the aarch64 kernel's direct map of
 * RAM (kernel/arch/aarch64/direct-map.c) on the host, its tables walked as
 * the MMU would: every 2 MiB of RAM translates to itself, Normal, and
 * nothing beside RAM does; a GiB RAM fills is one block, one it fills in
 * part 2 MiB blocks; RAM above 512 GiB takes a level-1 table of its own;
 * what runs past the CPU's physical addresses, the spare tables or below
 * a block is cut where the returned end says; entries never change from
 * one valid value to another; each new table is published (the barrier)
 * before the entry naming it. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tests/tap.h"
#include "asm.h"
#include "direct-map.h"

#define GIB (1ull << 30)
#define MIB2 (2ull << 20)

static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l1s[3][512] __attribute__((aligned(4096)));
static uint64_t l2s[2][512] __attribute__((aligned(4096)));
static struct dmap d;
static unsigned published;
static uint64_t before[3 + 1 + 2][512];

static void publish(void)
{
        published++;
}

/* head.S's start: devices in GiB 0, l0[0] names l1. */
static void reset(uint64_t pa_top)
{
        memset(l0, 0, sizeof(l0));
        memset(l1, 0, sizeof(l1));
        memset(l1s, 0, sizeof(l1s));
        memset(l2s, 0, sizeof(l2s));
        l1[0] = BLOCK_DEVICE;
        l0[0] = (uint64_t)(uintptr_t)l1 | 3;
        d = (struct dmap){ .l0 = l0, .l1_spare = l1s, .l2_spare = l2s, .l1_spares = 3,
                           .l2_spares = 2, .offset = 0, .pa_top = pa_top, .publish = publish };
        published = 0;
}

static uint64_t block_size;

/* The block mapping pa (its descriptor; its size in block_size), or 0:
 * the MMU's walk. */
static uint64_t walk(uint64_t pa)
{
        uint64_t e = l0[pa >> 39 & 511], *t;

        if ((e & 3) != 3)
                return 0;
        t = (uint64_t *)(uintptr_t)(e & 0xfffffffff000ull);
        e = t[pa >> 30 & 511];
        block_size = GIB;
        if ((e & 3) == 1)
                return e;
        if ((e & 3) != 3)
                return 0;
        t = (uint64_t *)(uintptr_t)(e & 0xfffffffff000ull);
        e = t[pa >> 21 & 511];
        block_size = MIB2;
        return (e & 3) == 1 ? e : 0;
}

/* Every 2 MiB of [lo, hi) maps to itself as Normal; the 2 MiB below lo
 * and at hi (when not GiB 0's devices) map nothing. */
static bool exactly(uint64_t lo, uint64_t hi)
{
        for (uint64_t m = lo; m < hi; m += MIB2) {
                uint64_t e = walk(m), attrs = ~0xfffffffff000ull;

                if (!e || (e & attrs) != (BLOCK_NORMAL & attrs) ||
                    (e & ~attrs) != (m & ~(block_size - 1)))
                        return false;
        }
        return (lo < GIB + MIB2 || !walk(lo - MIB2)) && !walk(hi);
}

static void snapshot(void)
{
        memcpy(before[0], l1s, sizeof(l1s));
        memcpy(before[3], l1, sizeof(l1));
        memcpy(before[4], l2s, sizeof(l2s));
}

/* No entry went from one valid value to another since snapshot(). */
static bool no_valid_rewritten(void)
{
        const uint64_t *now[6] = { l1s[0], l1s[1], l1s[2], l1, l2s[0], l2s[1] };

        for (unsigned t = 0; t < 6; t++)
                for (unsigned i = 0; i < 512; i++)
                        if ((before[t][i] & 1) && before[t][i] != now[t][i])
                                return false;
        return true;
}

int main(void)
{
        reset(1ull << 40);
        is_int(dmap_add(&d, GIB, GIB + (256ull << 20)), GIB + (256ull << 20), "256 MiB at 1 GiB");
        ok(exactly(GIB, GIB + (256ull << 20)), "mapped in 2 MiB blocks, nothing above RAM");
        ok((l1[1] & 3) == 3 && d.l2_used == 1 && published == 1,
           "the part-filled GiB has a level-2 table, published before it is linked");
        snapshot();
        is_int(dmap_add(&d, GIB, 7 * GIB), 7 * GIB, "then 6 GiB from 1 GiB");
        ok(exactly(GIB, 7 * GIB), "all of it, nothing above");
        ok((l1[1] & 3) == 3 && (l1[2] & 3) == 1 && (l1[6] & 3) == 1 && d.l2_used == 1,
           "the GiB with a table fills it, the whole GiBs are blocks");
        ok(no_valid_rewritten(), "no valid entry changed");
        snapshot();
        is_int(dmap_add(&d, GIB + (8ull << 20) + 5, GIB + (8ull << 20) + 45), GIB + (8ull << 20) + 45,
               "a device tree inside mapped RAM");
        ok(no_valid_rewritten() && d.l2_used == 1, "changes nothing, takes no table");

        reset(1ull << 48);
        is_int(dmap_add(&d, 600 * GIB + 3, 601 * GIB + (3ull << 20)), 601 * GIB + (3ull << 20),
               "RAM at 600 GiB, edges unaligned");
        ok(exactly(600 * GIB, 601 * GIB + (4ull << 20)), "rounded out to 2 MiB, nothing beyond");
        ok((l0[1] & 3) == 3 && d.l1_used == 1 && d.l2_used == 1,
           "a level-1 table of its own for the second 512 GiB, a level-2 for the part-filled GiB");
        is_int(dmap_add(&d, 1023 * GIB, 1025 * GIB), 1025 * GIB, "RAM across 1 TiB");
        ok(exactly(1023 * GIB, 1025 * GIB) && d.l1_used == 2, "crosses into a third level-1 table");
        is_int(dmap_add(&d, 1536 * GIB, 3072 * GIB), 2048 * GIB,
               "RAM over three more windows: the spare level-1 tables end at 2 TiB");
        ok(exactly(1536 * GIB, 2048 * GIB) && !walk(2048 * GIB), "mapped up to there, not beyond");
        is_int(dmap_add(&d, 4096 * GIB, 4097 * GIB), 4096 * GIB, "RAM in a fifth window: nothing mapped");
        is_int(dmap_add(&d, 5 * GIB + MIB2, 5 * GIB + 2 * MIB2), 5 * GIB + 2 * MIB2,
               "a part-filled GiB takes the last level-2 table");
        is_int(dmap_add(&d, 9 * GIB + MIB2, 9 * GIB + 2 * MIB2), 9 * GIB + MIB2,
               "none is left for another: nothing mapped there");
        ok(!walk(9 * GIB + MIB2), "and nothing is");

        reset(1ull << 32);
        is_int(dmap_add(&d, GIB, 5 * GIB), 4 * GIB, "a CPU with 32-bit physical addresses: cut at 4 GiB");
        ok(exactly(GIB, 4 * GIB), "mapped below it");
        is_int(dmap_add(&d, 4 * GIB, 5 * GIB), 4 * GIB, "RAM wholly above it: nothing");
        is_int(dmap_add(&d, 2 * GIB, 2 * GIB), 2 * GIB, "an empty range: nothing");
        is_int(dmap_add(&d, 0, 16ull << 20), 16ull << 20, "a range in GiB 0");
        is_int(l1[0], BLOCK_DEVICE, "leaves the devices' block alone");
        return tap_done();
}
