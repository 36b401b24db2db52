/* efi/boot-memmap.c: EFI descriptors and the loader's claims -> thatte map.
 *
 * Every start and end address becomes a boundary; between two neighbouring
 * boundaries exactly one type applies, the strongest of the sources that
 * cover that stretch. O(boundaries x sources), a few hundred of each on
 * real firmware: cheap, and simple enough to trust after ExitBootServices. */
#include "boot-memmap.h"

#define PAGE 4096ull

/* EFI_MEMORY_TYPE values (UEFI spec, AllocatePages). */
enum {
        EFI_RESERVED, EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BS_CODE, EFI_BS_DATA, EFI_RT_CODE,
        EFI_RT_DATA, EFI_CONVENTIONAL, EFI_UNUSABLE, EFI_ACPI_RECLAIM, EFI_ACPI_NVS, EFI_MMIO,
        EFI_MMIO_PORT, EFI_PAL_CODE, EFI_PERSISTENT,
};

uint32_t boot_memmap_type(uint32_t efi_type)
{
        switch (efi_type) {
        case EFI_LOADER_CODE:
        case EFI_LOADER_DATA:
        case EFI_BS_CODE:
        case EFI_BS_DATA:
        case EFI_CONVENTIONAL:
                return THATTE_MEM_USABLE;
        case EFI_UNUSABLE:
                return THATTE_MEM_BAD;
        case EFI_ACPI_RECLAIM:
                return THATTE_MEM_ACPI_RECLAIM;
        case EFI_ACPI_NVS:
                return THATTE_MEM_ACPI_NVS;
        case EFI_MMIO:
        case EFI_MMIO_PORT:
                return THATTE_MEM_MMIO;
        default:        /* reserved, runtime services, PAL, persistent, unaccepted, OEM */
                return THATTE_MEM_RESERVED;
        }
}

/* Which type wins where sources overlap: claims first, then the types the
 * kernel must never hand out, USABLE last. */
static unsigned strength(uint32_t type, int claim)
{
        if (claim)
                return 100 + type;
        switch (type) {
        case THATTE_MEM_USABLE:
                return 1;
        case THATTE_MEM_ACPI_RECLAIM:
                return 2;
        case THATTE_MEM_MMIO:
                return 3;
        case THATTE_MEM_RESERVED:
                return 4;
        default:
                return 5;
        }
}

size_t boot_memmap_capacity(size_t n_desc, size_t n_claims)
{
        return 2 * (n_desc + n_claims) + 1;
}

/* Source i: a descriptor (i < n_desc) or a claim, as [base, end) and type. */
struct sources {
        const uint8_t *map;
        size_t desc_size, n_desc;
        const struct boot_mem_claim *claims;
        size_t n_claims;
};

static int source(const struct sources *s, size_t i, uint64_t *base, uint64_t *end, uint32_t *type)
{
        if (i < s->n_desc) {
                const struct boot_efi_desc *d = (const void *)(s->map + i * s->desc_size);

                *base = d->phys;
                *end = d->phys + d->pages * PAGE;
                *type = boot_memmap_type(d->type);
                return 0;
        }
        i -= s->n_desc;
        *base = s->claims[i].base & ~(PAGE - 1);
        *end = (s->claims[i].base + s->claims[i].size + PAGE - 1) & ~(PAGE - 1);
        *type = s->claims[i].type;
        return 1;
}

static void sort(uint64_t *v, size_t n)
{
        for (size_t gap = n / 2; gap; gap /= 2)
                for (size_t i = gap; i < n; i++)
                        for (size_t j = i; j >= gap && v[j - gap] > v[j]; j -= gap) {
                                uint64_t t = v[j];

                                v[j] = v[j - gap];
                                v[j - gap] = t;
                        }
}

/* The boundaries, sorted and unique; returns their count. */
static size_t boundaries(const struct sources *s, uint64_t *pts)
{
        size_t n = 0, k = 0;

        for (size_t i = 0; i < s->n_desc + s->n_claims; i++) {
                uint64_t base, end;
                uint32_t type;

                (void)source(s, i, &base, &end, &type);
                if (end <= base)
                        continue;
                pts[n++] = base;
                pts[n++] = end;
        }
        sort(pts, n);
        for (size_t i = 0; i < n; i++)
                if (!k || pts[k - 1] != pts[i])
                        pts[k++] = pts[i];
        return k;
}

/* The winning type over [a, b), 0 when nothing covers it. */
static uint32_t type_at(const struct sources *s, uint64_t a, uint64_t b)
{
        unsigned best = 0;
        uint32_t type = 0;

        for (size_t i = 0; i < s->n_desc + s->n_claims; i++) {
                uint64_t base, end;
                uint32_t t;
                int claim = source(s, i, &base, &end, &t);

                if (base <= a && b <= end && end > base && strength(t, claim) > best) {
                        best = strength(t, claim);
                        type = t;
                }
        }
        return type;
}

int boot_memmap_convert(const void *map, size_t map_size, size_t desc_size,
                        const struct boot_mem_claim *claims, size_t n_claims,
                        struct thatte_mem_range *out, uint64_t *scratch, size_t cap,
                        size_t *ret_count)
{
        struct sources s = { map, desc_size, 0, claims, n_claims };
        size_t n_pts, count = 0;

        if (desc_size < sizeof(struct boot_efi_desc))
                return -1;
        s.n_desc = map_size / desc_size;
        if (cap < boot_memmap_capacity(s.n_desc, n_claims))
                return -1;
        n_pts = boundaries(&s, scratch);
        for (size_t i = 0; i + 1 < n_pts; i++) {
                uint64_t a = scratch[i], b = scratch[i + 1];
                uint32_t type = type_at(&s, a, b);

                if (!type)
                        continue;
                if (count && out[count - 1].type == type && out[count - 1].base + out[count - 1].size == a) {
                        out[count - 1].size += b - a;
                        continue;
                }
                out[count++] = (struct thatte_mem_range){ .base = a, .size = b - a, .type = type };
        }
        *ret_count = count;
        return 0;
}
