/* tests/kernel/aarch64-uefi-map.c: the aarch64 kernel's UEFI memory map
 * parser (kernel/arch/aarch64/uefi-map.c) on the host. Good maps give the
 * usable types' pages minus everything else; hostile ones (descriptor size
 * below the struct or not a multiple of 8, a size that is not whole
 * descriptors or is huge, a map outside RAM or wrapping, ranges wrapping
 * past 2^64, unaligned, overlapping, properties of wrong lengths or
 * missing, too many pieces) are refused or come out harmless. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tests/tap.h"
#include "uefi-map.h"

#define PAGE 4096ull
#define MAX 8u

static uint8_t map[64 * 48];
static unsigned ndesc, dsize = 48;

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
        for (unsigned i = 0; i < n; i++)
                p[i] = (uint8_t)(v >> 8 * i);
}

static void desc(uint32_t type, uint64_t base, uint64_t pages)
{
        uint8_t *d = map + ndesc++ * dsize;

        memset(d, 0xa5, dsize);         /* padding and the rest: junk */
        put_le(d, type, 4);
        put_le(d + 8, base, 8);
        put_le(d + 24, pages, 8);
}

static unsigned pieces(uint64_t lo, uint64_t hi, struct mem_piece *p, unsigned *dropped)
{
        struct uefi_map m = { 0, ndesc * dsize, dsize, 1 };

        return uefi_map_pieces(map, &m, lo, hi, p, MAX, dropped);
}

/* Whether byte address a is in one of the pieces, and how many. */
static unsigned covers(const struct mem_piece *p, unsigned n, uint64_t a)
{
        unsigned c = 0;

        for (unsigned i = 0; i < n; i++)
                c += p[i].base <= a && a < p[i].end;
        return c;
}

static uint64_t total(const struct mem_piece *p, unsigned n)
{
        uint64_t t = 0;

        for (unsigned i = 0; i < n; i++)
                t += p[i].end - p[i].base;
        return t;
}

static void test_good(void)
{
        struct mem_piece p[MAX];
        unsigned n, dropped;

        ndesc = 0;
        desc(7, 0x40000000, 16);        /* conventional */
        desc(4, 0x40010000, 16);        /* boot services data, adjacent */
        desc(5, 0x40020000, 4);         /* runtime code */
        desc(2, 0x40024000, 4);         /* loader data */
        desc(0, 0x40028000, 1);         /* reserved */
        desc(10, 0x40029000, 2);        /* ACPI NVS */
        desc(11, 0x09000000, 1);        /* MMIO */
        desc(3, 0x4002b000, 5);         /* boot services code */
        n = pieces(0x40000000, 0x50000000, p, &dropped);
        ok(dropped == 0, "nothing dropped");
        ok(n == 3, "three pieces (adjacent ones joined): %u", n);
        ok(covers(p, n, 0x40000000) == 1 && covers(p, n, 0x4001ffff) == 1, "conventional + boot data usable");
        ok(!covers(p, n, 0x40020000) && !covers(p, n, 0x40023fff), "runtime code not");
        ok(covers(p, n, 0x40024000) == 1, "loader data usable");
        ok(!covers(p, n, 0x40028000) && !covers(p, n, 0x4002a000), "reserved and ACPI NVS not");
        ok(covers(p, n, 0x4002b000) == 1 && !covers(p, n, 0x40030000), "boot code usable, up to its end");
        ok(total(p, n) == (16 + 16 + 4 + 5) * PAGE, "usable bytes: %llu", (unsigned long long)total(p, n));
        /* The kernel's lo/hi clip: below the image and above the direct map. */
        n = pieces(0x40011000, 0x4002c000, p, &dropped);
        ok(!covers(p, n, 0x40010fff) && covers(p, n, 0x40011000) && !covers(p, n, 0x4002c000),
           "clipped to [lo, hi)");
}

static void test_hostile_ranges(void)
{
        struct mem_piece p[MAX];
        unsigned n, dropped;

        ndesc = 0;
        desc(7, 0x40000800, 3);         /* unaligned: only whole pages inside */
        desc(7, 0xfffffffffffff000ull, 2);      /* wraps past 2^64 */
        desc(7, 0x1000, 0x0010000000000000ull); /* pages * 4096 overflows */
        n = pieces(0, ~0ull, p, &dropped);
        ok(n == 1 && p[0].base == 0x40001000 && p[0].end == 0x40003000, "unaligned: the two whole pages");
        ok(!covers(p, n, 0xfffffffffffff000ull) && !covers(p, n, 0x2000), "wrapping ranges skipped");

        ndesc = 0;
        desc(7, 0x40000000, 32);
        desc(7, 0x40008000, 32);        /* overlaps the first */
        desc(4, 0x40000000, 8);         /* inside it */
        n = pieces(0, ~0ull, p, &dropped);
        ok(covers(p, n, 0x40000000) == 1 && covers(p, n, 0x40009000) == 1 && covers(p, n, 0x40027fff) == 1,
           "overlapping usable ranges: every byte in one piece");
        ok(total(p, n) == 0x28000, "no byte counted twice");

        ndesc = 0;
        desc(7, 0x40000000, 32);
        desc(0, 0x40004800, 1);         /* reserved, unaligned, inside: cut with its pages */
        desc(6, 0x4001f000, 0x0010000000000000ull);     /* runtime data wrapping: all above cut */
        n = pieces(0, ~0ull, p, &dropped);
        ok(!covers(p, n, 0x40004000) && !covers(p, n, 0x40005fff) && covers(p, n, 0x40006000) == 1 &&
           covers(p, n, 0x40003fff) == 1, "a reserved range inside a usable one is cut out, whole pages");
        ok(!covers(p, n, 0x4001f000), "a wrapping reserved range cuts everything above its base");

        ndesc = 0;
        for (unsigned i = 0; i < 20; i++)
                desc(i % 2 ? 0 : 7, 0x40000000 + i * PAGE, 1);
        n = pieces(0, ~0ull, p, &dropped);
        ok(n == MAX && dropped > 0, "more pieces than room: %u kept, %u dropped", n, dropped);
        for (unsigned i = 0; i < n; i++)
                ok(p[i].base < p[i].end && (p[i].base / PAGE) % 2 == 0, "kept piece %u is usable", i);
}

static void test_decode(void)
{
        uint8_t start[8] = { 0, 0, 0, 0, 0x40, 0, 0x10, 0 }, size[4] = { 0, 0, 0x0c, 0 },
                dsz[4] = { 0, 0, 0, 48 }, ver[4] = { 0, 0, 0, 1 };
        const uint8_t *v[4] = { start, size, dsz, ver };
        uint32_t len[4] = { 8, 4, 4, 4 };
        struct uefi_map m;

        ok(uefi_map_decode(v, len, &m) && m.start == 0x40001000 && m.size == 0xc00 && m.desc_size == 48 &&
           m.desc_ver == 1, "well-formed properties decoded (big-endian)");
        len[0] = 4;
        ok(!uefi_map_decode(v, len, &m), "mmap-start of 4 bytes refused");
        len[0] = 8, len[2] = 8;
        ok(!uefi_map_decode(v, len, &m), "desc-size of 8 bytes refused");
        len[2] = 4, len[1] = 0;
        ok(!uefi_map_decode(v, len, &m), "empty mmap-size refused");
        len[1] = 4, v[3] = NULL;
        ok(!uefi_map_decode(v, len, &m), "a missing property: no map");
        v[3] = ver;
        dsz[3] = 32;
        ok(!uefi_map_decode(v, len, &m), "descriptor smaller than the struct refused");
        dsz[3] = 44;
        ok(!uefi_map_decode(v, len, &m), "descriptor size not a multiple of 8 refused");
        dsz[3] = 48, size[3] = 1;
        ok(!uefi_map_decode(v, len, &m), "map size not whole descriptors refused");
        size[3] = 0, size[0] = 0xff;
        ok(!uefi_map_decode(v, len, &m), "map of 4 GiB refused (count overflow)");
        size[0] = 0, size[2] = 0;
        ok(!uefi_map_decode(v, len, &m), "empty map refused");
        size[2] = 0x0c, ver[3] = 2;
        ok(!uefi_map_decode(v, len, &m), "descriptor version 2 refused");
}

static void test_inside(void)
{
        struct uefi_map m = { 0x40001000, 0xc00, 48, 1 };

        ok(uefi_map_inside(&m, 0x40000000, 0x50000000), "a map in RAM");
        m.start = 0x1000;
        ok(!uefi_map_inside(&m, 0x40000000, 0x50000000), "a map below RAM refused");
        m.start = 0x4ffff800;
        ok(!uefi_map_inside(&m, 0x40000000, 0x50000000), "a map running past RAM's end refused");
        m.start = 0xfffffffffffff800ull;
        ok(!uefi_map_inside(&m, 0x40000000, ~0ull), "a map wrapping past 2^64 refused");
}

int main(void)
{
        test_good();
        test_hostile_ranges();
        test_decode();
        test_inside();
        return tap_done();
}
