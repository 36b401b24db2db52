/* tests/unit/efi-boot-memmap.c: boot_memmap_convert on descriptor arrays
 * crafted here: unsorted input, descriptors longer than the struct (walked
 * by their size), merging, holes, overlaps and the loader's claims. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "boot-memmap.h"
#include "tests/tap.h"

#define DESC_SIZE 48    /* what OVMF reports: 40 bytes of fields + 8 of padding */
#define MAX 16
#define MIB (1ull << 20)

static uint8_t map[MAX * DESC_SIZE];
static size_t n_desc;
static struct thatte_mem_range out[64];
static uint64_t scratch[64];
static size_t count;

static void desc(uint32_t type, uint64_t base, uint64_t pages)
{
        struct boot_efi_desc d = { .type = type, .phys = base, .pages = pages };

        memcpy(map + n_desc * DESC_SIZE, &d, sizeof(d));
        memset(map + n_desc * DESC_SIZE + sizeof(d), 0xee, DESC_SIZE - sizeof(d));
        n_desc++;
}

static int convert(const struct boot_mem_claim *claims, size_t n)
{
        return boot_memmap_convert(map, n_desc * DESC_SIZE, DESC_SIZE, claims, n, out, scratch, 64, &count);
}

static int range_is(size_t i, uint64_t base, uint64_t size, uint32_t type)
{
        return i < count && out[i].base == base && out[i].size == size && out[i].type == type;
}

static void types(void)
{
        is_int(boot_memmap_type(7), THATTE_MEM_USABLE, "conventional -> usable");
        is_int(boot_memmap_type(1), THATTE_MEM_USABLE, "loader code -> usable");
        is_int(boot_memmap_type(3), THATTE_MEM_USABLE, "boot services code -> usable");
        is_int(boot_memmap_type(4), THATTE_MEM_USABLE, "boot services data -> usable");
        is_int(boot_memmap_type(5), THATTE_MEM_RESERVED, "runtime code -> reserved");
        is_int(boot_memmap_type(6), THATTE_MEM_RESERVED, "runtime data -> reserved");
        is_int(boot_memmap_type(9), THATTE_MEM_ACPI_RECLAIM, "ACPI reclaim");
        is_int(boot_memmap_type(10), THATTE_MEM_ACPI_NVS, "ACPI NVS");
        is_int(boot_memmap_type(11), THATTE_MEM_MMIO, "MMIO");
        is_int(boot_memmap_type(8), THATTE_MEM_BAD, "unusable -> bad");
        is_int(boot_memmap_type(0x80000001u), THATTE_MEM_RESERVED, "OEM type -> reserved");
}

static void sorted_and_merged(void)
{
        n_desc = 0;
        desc(7, 4 * MIB, 256);          /* 4..5 MiB, unsorted on purpose */
        desc(4, 0, 160);                /* 0..640 KiB */
        desc(3, 5 * MIB, 256);          /* 5..6 MiB: merges with 4..5 */
        desc(0, 0xf0000, 16);           /* 960 KiB..1 MiB: hole before it */
        desc(9, 6 * MIB, 16);
        desc(11, 0xfec00000, 1);
        desc(7, 8 * MIB, 0);            /* empty: skipped */
        is_int(convert(NULL, 0), 0, "converts");
        is_int(count, 5, "5 ranges");
        ok(range_is(0, 0, 640 * 1024, THATTE_MEM_USABLE), "low memory usable");
        ok(range_is(1, 0xf0000, 0x10000, THATTE_MEM_RESERVED), "hole kept out, BIOS area reserved");
        ok(range_is(2, 4 * MIB, 2 * MIB, THATTE_MEM_USABLE), "two usable neighbours merged");
        ok(range_is(3, 6 * MIB, 16 * 4096, THATTE_MEM_ACPI_RECLAIM), "ACPI tables");
        ok(range_is(4, 0xfec00000, 4096, THATTE_MEM_MMIO), "IOAPIC MMIO");
}

static void claims(void)
{
        const struct boot_mem_claim c[] = {
                { 2 * MIB, 0x5800, THATTE_MEM_KERNEL },         /* rounded up to 6 pages */
                { 3 * MIB + 0x10, 100, THATTE_MEM_MODULE },     /* widened to its page */
                { 0x10000, 0x8000, THATTE_MEM_BOOTINFO },
        };

        n_desc = 0;
        desc(7, 0, 16 * 256);           /* 0..16 MiB usable */
        desc(5, 15 * MIB, 256);         /* overlapping runtime code: the stricter type wins */
        is_int(convert(c, 3), 0, "converts with claims");
        is_int(count, 8, "8 ranges");
        ok(range_is(0, 0, 0x10000, THATTE_MEM_USABLE), "usable below the boot info");
        ok(range_is(1, 0x10000, 0x8000, THATTE_MEM_BOOTINFO), "boot info claimed");
        ok(range_is(2, 0x18000, 2 * MIB - 0x18000, THATTE_MEM_USABLE), "usable up to the kernel");
        ok(range_is(3, 2 * MIB, 0x6000, THATTE_MEM_KERNEL), "kernel claimed, whole pages");
        ok(range_is(4, 2 * MIB + 0x6000, MIB - 0x6000, THATTE_MEM_USABLE), "usable after the kernel");
        ok(range_is(5, 3 * MIB, 4096, THATTE_MEM_MODULE), "module widened to its page");
        ok(range_is(6, 3 * MIB + 4096, 12 * MIB - 4096, THATTE_MEM_USABLE), "usable up to 15 MiB");
        ok(range_is(7, 15 * MIB, MIB, THATTE_MEM_RESERVED), "overlap resolved to reserved");
}

static void ordering(void)
{
        int sorted = 1;

        n_desc = 0;
        for (unsigned i = 0; i < MAX; i++)
                desc(i % 2 ? 7 : 10, (uint64_t)(MAX - i) * MIB, 256);
        is_int(convert(NULL, 0), 0, "16 alternating descriptors convert");
        for (size_t i = 1; i < count; i++)
                sorted &= out[i - 1].base + out[i - 1].size <= out[i].base && out[i - 1].type != out[i].type;
        ok(sorted && count == MAX, "sorted, no overlaps, neighbours differ");
}

static void refusals(void)
{
        n_desc = 1;
        is_int(boot_memmap_convert(map, 40, 32, NULL, 0, out, scratch, 64, &count), -1,
               "descriptor size below 40 bytes refused");
        is_int(boot_memmap_convert(map, 20 * DESC_SIZE, DESC_SIZE, NULL, 0, out, scratch, 40, &count), -1,
               "capacity too small refused");
        ok(boot_memmap_capacity(20, 3) == 47, "capacity for 20 descriptors and 3 claims");
}

int main(void)
{
        types();
        sorted_and_merged();
        claims();
        ordering();
        refusals();
        return tap_done();
}
