/* kernel/arch/aarch64/uefi-map.c: see uefi-map.h. Descriptor layout from
 * the UEFI specification (EFI_MEMORY_DESCRIPTOR: u32 type, pad, u64
 * physical start, u64 virtual start, u64 page count, u64 attribute). */
#include "uefi-map.h"

#define DESC_MIN 40u
#define MAP_MAX (1u << 20)
#define PAGE 4096ull

enum {
        LOADER_CODE = 1, LOADER_DATA = 2, BOOT_CODE = 3, BOOT_DATA = 4, CONVENTIONAL = 7,
};

static uint64_t be(const uint8_t *p, unsigned n)
{
        uint64_t v = 0;

        for (unsigned i = 0; i < n; i++)
                v = v << 8 | p[i];
        return v;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
        uint64_t v = 0;

        while (n--)
                v = v << 8 | p[n];
        return v;
}

bool uefi_map_decode(const uint8_t *const v[4], const uint32_t len[4], struct uefi_map *m)
{
        static const uint32_t want[4] = { 8, 4, 4, 4 };

        for (unsigned i = 0; i < 4; i++)
                if (!v[i] || len[i] != want[i])
                        return false;
        m->start = be(v[0], 8);
        m->size = (uint32_t)be(v[1], 4);
        m->desc_size = (uint32_t)be(v[2], 4);
        m->desc_ver = (uint32_t)be(v[3], 4);
        return m->desc_size >= DESC_MIN && m->desc_size % 8 == 0 && m->desc_size <= MAP_MAX &&
               m->size > 0 && m->size <= MAP_MAX && m->size % m->desc_size == 0 && m->desc_ver == 1;
}

bool uefi_map_inside(const struct uefi_map *m, uint64_t ram_base, uint64_t ram_end)
{
        return m->start >= ram_base && m->start <= ram_end && m->size <= ram_end - m->start;
}

bool mem_cut(struct mem_piece *p, unsigned *n, unsigned max, uint64_t base, uint64_t end)
{
        bool fits = true;

        for (unsigned i = 0; i < *n; i++) {
                struct mem_piece q = p[i];

                if (end <= q.base || base >= q.end)
                        continue;
                p[i].end = base > q.base ? base : q.base;
                if (end < q.end) {
                        if (*n == max)
                                fits = false;
                        else
                                p[(*n)++] = (struct mem_piece){ end, q.end };
                }
        }
        return fits;
}

static bool usable(uint32_t type)
{
        return type == LOADER_CODE || type == LOADER_DATA || type == BOOT_CODE || type == BOOT_DATA ||
               type == CONVENTIONAL;
}

/* The descriptor's range, false when it wraps. */
static bool range(const uint8_t *d, uint64_t *base, uint64_t *end)
{
        uint64_t pages = le(d + 24, 8);

        *base = le(d + 8, 8);
        if (pages > (~0ull >> 12) || pages * PAGE > ~0ull - *base)
                return false;
        *end = *base + pages * PAGE;
        return true;
}

/* Adjacent pieces joined (fewer, larger Untypeds); empty ones dropped. */
static unsigned coalesce(struct mem_piece *p, unsigned n)
{
        unsigned kept = 0;

        for (unsigned i = 0; i < n; i++)
                for (unsigned j = 0; j < n; j++)
                        if (i != j && p[j].base < p[j].end && p[i].end == p[j].base) {
                                p[i].end = p[j].end;
                                p[j].end = p[j].base;
                                j = (unsigned)-1;       /* p[i] grew: look again */
                        }
        for (unsigned i = 0; i < n; i++)
                if (p[i].base < p[i].end)
                        p[kept++] = p[i];
        return kept;
}

unsigned uefi_map_pieces(const uint8_t *data, const struct uefi_map *m, uint64_t lo, uint64_t hi,
                         struct mem_piece *p, unsigned max, unsigned *ret_dropped)
{
        unsigned n = 0;
        uint64_t base, end;

        *ret_dropped = 0;
        for (uint32_t off = 0; off + m->desc_size <= m->size; off += m->desc_size) {
                const uint8_t *d = data + off;

                if (!usable((uint32_t)le(d, 4)) || !range(d, &base, &end))
                        continue;
                if (end <= lo || base >= hi)
                        continue;
                base = base < lo ? lo : base;
                base = base > ~0ull - PAGE ? ~0ull : (base + PAGE - 1) & ~(PAGE - 1);
                end = (end > hi ? hi : end) & ~(PAGE - 1);
                if (base >= end)
                        continue;
                /* Overlapping usable ranges: each byte in one piece only. */
                if (!mem_cut(p, &n, max, base, end))
                        (*ret_dropped)++;
                if (n == max)
                        (*ret_dropped)++;
                else
                        p[n++] = (struct mem_piece){ base, end };
        }
        for (uint32_t off = 0; off + m->desc_size <= m->size; off += m->desc_size) {
                const uint8_t *d = data + off;

                if (usable((uint32_t)le(d, 4)))
                        continue;
                if (!range(d, &base, &end) || end > ~0ull - PAGE)
                        end = ~0ull;    /* wraps: cut out all above its base */
                else
                        end = (end + PAGE - 1) & ~(PAGE - 1);
                if (!mem_cut(p, &n, max, base & ~(PAGE - 1), end))
                        (*ret_dropped)++;
        }
        return coalesce(p, n);
}
