/* kernel/arch/aarch64/fdt.c: the facts the kernel reads from the
 * flattened device tree the loader hands over in x0: /chosen's bootargs,
 * the UEFI memory map's place (/chosen/linux,uefi-mmap-*), the first
 * /memory node's reg, fw_cfg's registers and the PCIe host bridge's ECAM
 * and 32-bit memory window (handed to the root task as device Untyped).
 * Bounded by the header's sizes (at most FDT_MAX) and the direct map (the
 * tree lies in RAM: its GiBs join the map when it is opened, mmu.c); a
 * malformed tree gives "not found". */
#include "arch.h"
#include "uefi-map.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
#define FDT_MAX (2u << 20)               /* Linux's limit too */

struct fdt {
        const uint8_t *base;
        uint32_t size, off_struct, size_struct, off_strings, size_strings;
};

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool fdt_open(uint64_t pa, struct fdt *f)
{
        const uint8_t *h;

        if (pa == 0 || pa >= ARCH_DIRECT_TOP - FDT_MAX || (pa & 7))
                return false;
        if (arch_mmu_map_ram(pa, pa + 40) < pa + 40)
                return false;
        h = arch_phys(pa);
        if (be32(h) != FDT_MAGIC)
                return false;
        f->base = h;
        f->size = be32(h + 4);
        f->off_struct = be32(h + 8);
        f->off_strings = be32(h + 12);
        f->size_strings = be32(h + 32);
        f->size_struct = be32(h + 36);
        if (f->size < 40 || f->size > FDT_MAX || arch_mmu_map_ram(pa, pa + f->size) < pa + f->size)
                return false;
        return f->off_struct <= f->size &&
               f->size_struct <= f->size - f->off_struct && f->off_strings <= f->size &&
               f->size_strings <= f->size - f->off_strings;
}

/* The NUL-terminated string at off in [from, end), or NULL. */
static const char *string_at(const struct fdt *f, uint32_t from, uint32_t end, uint32_t off)
{
        for (uint32_t i = off; i < end - from; i++)
                if (f->base[from + i] == '\0')
                        return (const char *)f->base + from + off;
        return NULL;
}

static bool str_eq(const char *a, const char *b)
{
        while (*a && *a == *b)
                a++, b++;
        return *a == *b;
}

static bool starts_with(const char *s, const char *prefix)
{
        while (*prefix && *s == *prefix)
                s++, prefix++;
        return *prefix == '\0';
}

/* Finds property prop of a node at depth 1 whose name starts with node
 * (so "memory" matches "memory@40000000"). Returns its value and length. */
static const uint8_t *find_prop(const struct fdt *f, const char *node, const char *prop, uint32_t *ret_len)
{
        uint32_t pos = f->off_struct, end = f->off_struct + f->size_struct;
        int depth = 0;
        bool in_node = false;

        while (pos + 4 <= end) {
                uint32_t tok = be32(f->base + pos), len, nameoff;
                const char *name;

                pos += 4;
                if (tok == FDT_BEGIN_NODE) {
                        name = string_at(f, pos, end, 0);
                        if (!name)
                                return NULL;
                        depth++;
                        in_node = depth == 2 && starts_with(name, node);
                        while (pos < end && f->base[pos])
                                pos++;
                        pos = (pos + 4) & ~3u;
                } else if (tok == FDT_END_NODE) {
                        depth--;
                        in_node = false;
                } else if (tok == FDT_PROP) {
                        if (pos + 8 > end)
                                return NULL;
                        len = be32(f->base + pos);
                        nameoff = be32(f->base + pos + 4);
                        pos += 8;
                        if (len > end - pos)
                                return NULL;
                        name = string_at(f, f->off_strings, f->off_strings + f->size_strings, nameoff);
                        if (in_node && name && str_eq(name, prop)) {
                                *ret_len = len;
                                return f->base + pos;
                        }
                        pos = (pos + len + 3) & ~3u;
                } else if (tok != FDT_NOP) {
                        return NULL;    /* FDT_END or garbage */
                }
        }
        return NULL;
}

const char *arch_fdt_bootargs(uint64_t dtb)
{
        struct fdt f;
        uint32_t len;
        const uint8_t *v;

        if (!fdt_open(dtb, &f))
                return NULL;
        v = find_prop(&f, "chosen", "bootargs", &len);
        return v && len > 0 && v[len - 1] == '\0' ? (const char *)v : NULL;
}

static uint64_t be64(const uint8_t *p)
{
        return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* The first (address, size) of reg in the depth-1 node named node*, as
 * they stand (the caller checks them). QEMU virt: #address-cells =
 * #size-cells = 2. */
static bool first_reg(uint64_t dtb, const char *node, uint64_t *ret_base, uint64_t *ret_size)
{
        struct fdt f;
        uint32_t len;
        const uint8_t *v;

        if (!fdt_open(dtb, &f))
                return false;
        v = find_prop(&f, node, "reg", &len);
        if (!v || len < 16)
                return false;
        *ret_base = be64(v);
        *ret_size = be64(v + 8);
        return true;
}

/* A device's registers: some, not wrapping, page aligned. */
static bool sane_range(uint64_t base, uint64_t size)
{
        return size && base + size > base && !(base & 0xfff);
}

bool arch_fdt_memory(uint64_t dtb, uint64_t *ret_base, uint64_t *ret_size)
{
        return first_reg(dtb, "memory", ret_base, ret_size);
}

bool arch_fdt_fw_cfg(uint64_t dtb, uint64_t *ret_base)
{
        uint64_t size;

        return first_reg(dtb, "fw-cfg", ret_base, &size) && size >= 0x18 && sane_range(*ret_base, size);
}

/* The PCIe host bridge (compatible "pci-host-ecam-generic", a node named
 * pcie@...): reg is the ECAM; ranges holds entries of 7 cells (PCI address
 * 3, CPU address 2, size 2) whose first cell's bits 25..24 say the space:
 * 2 is 32-bit memory, the window BARs are placed in here. */
bool arch_fdt_pci(uint64_t dtb, struct arch_pci_host *h)
{
        struct fdt f;
        uint32_t len;
        const uint8_t *v;

        if (!fdt_open(dtb, &f))
                return false;
        v = find_prop(&f, "pcie", "compatible", &len);
        if (!v || len == 0 || v[len - 1] != '\0' || !str_eq((const char *)v, "pci-host-ecam-generic"))
                return false;
        if (!first_reg(dtb, "pcie", &h->ecam, &h->ecam_size) || !sane_range(h->ecam, h->ecam_size) ||
            (h->ecam & 0xfffff) || h->ecam_size < (1u << 20))
                return false;
        v = find_prop(&f, "pcie", "ranges", &len);
        for (uint32_t off = 0; v && off + 28 <= len; off += 28) {
                if ((be32(v + off) >> 24 & 3) != 2)
                        continue;
                h->mmio_bus = be64(v + off + 4);
                h->mmio = be64(v + off + 12);
                h->mmio_size = be64(v + off + 20);
                return sane_range(h->mmio, h->mmio_size) && !(h->mmio_size & 0xfff);
        }
        return false;
}

/* The linux,uefi-mmap-* properties of /chosen, checked by uefi-map.c. */
bool arch_fdt_uefi_map(uint64_t dtb, struct uefi_map *m)
{
        static const char *const names[4] = {
                "linux,uefi-mmap-start", "linux,uefi-mmap-size", "linux,uefi-mmap-desc-size",
                "linux,uefi-mmap-desc-ver",
        };
        const uint8_t *v[4];
        uint32_t len[4] = { 0 };
        struct fdt f;

        if (!fdt_open(dtb, &f))
                return false;
        for (unsigned i = 0; i < 4; i++)
                v[i] = find_prop(&f, "chosen", names[i], &len[i]);
        return uefi_map_decode(v, len, m);
}

bool arch_cmdline_has(const char *cmdline, const char *word)
{
        for (const char *p = cmdline; p && *p; ) {
                while (*p == ' ')
                        p++;
                if (starts_with(p, word) && (p[arch_strlen(word)] == ' ' || p[arch_strlen(word)] == '\0'))
                        return true;
                while (*p && *p != ' ')
                        p++;
        }
        return false;
}
