/* kernel/arch/aarch64/mem.c: the core's objects. RAM as the device tree
 * gives it joins the direct map (mmu.c, as far as it reaches);
 * mk_boot gets the first free piece of RAM above the image; every other
 * free byte of that RAM becomes Untyped; the RAM set aside for a ramfb,
 * fw_cfg's page, the PCIe ECAM and 32-bit memory window (ramfb.c) and the
 * PL011's page become device Untyped (never zeroed: the task maps them
 * write-combining or uncached). Never handed out: RAM below and in the image, the
 * device tree, the UEFI memory map and what it does not call usable. */
#include "arch.h"
#include "kernel.h"
#include "uefi-map.h"

#define ROOT_RADIX 12u
#define MAX_PIECES 64u

struct mk_kernel arch_k;
struct mk_bootinfo arch_bi;
uint64_t arch_device_untyped;           /* slot of the first device Untyped */

static uint64_t align_up(uint64_t x, uint64_t a)
{
        return (x + a - 1) & ~(a - 1);
}

static uint64_t fdt_size(uint64_t dtb)
{
        return __builtin_bswap32(*(const uint32_t *)arch_phys(dtb + 4));
}

static void cut(struct mem_piece *p, unsigned *n, uint64_t base, uint64_t end)
{
        if (!mem_cut(p, n, MAX_PIECES, base, end))
                arch_panic("memory: too many holes");
}

bool arch_test_past_ram;

/* RAM [base, base + size) into the direct map; returns its end there.
 * thatte.test=past-ram reads the first byte above it, which must fault
 * (nothing but RAM is mapped Normal: the panic path's test, with FAR). */
static uint64_t map_ram(uint64_t base, uint64_t size)
{
        uint64_t top = arch_mmu_map_ram(base, base + size);

        if (top <= base)
                arch_panic("memory: RAM at %lx is beyond the direct map's reach", (unsigned long)base);
        if (top < base + size)
                arch_log("memory: RAM above %lx left out (the CPU's physical addresses or the "
                         "direct map's tables end there)", (unsigned long)top);
        if (arch_test_past_ram) {
                arch_log("thatte.test=past-ram: reading %lx, the first byte above RAM",
                         (unsigned long)(uintptr_t)arch_phys(top));
                (void)*(volatile uint8_t *)arch_phys(top);
        }
        return top;
}

/* The last word of the highest free piece is read and written back: RAM
 * the direct map missed panics here, not in a task's retype (and only
 * memory the tasks get anyway is touched, never firmware's). */
static void reach(uint64_t base, uint64_t top, const struct mem_piece *p, unsigned n)
{
        uint64_t end = 0;
        volatile uint64_t *last;

        for (unsigned i = 0; i < n; i++)
                if (p[i].end > p[i].base && p[i].end > end)
                        end = p[i].end;
        if (!end)
                return;
        last = arch_phys(end - 8);
        *last = *last;
        arch_log("memory: direct map of RAM %lx..%lx (%lu MiB), free RAM reached up to %lx",
                 (unsigned long)base, (unsigned long)top, (unsigned long)((top - base) >> 20),
                 (unsigned long)end);
}

/* The free RAM in [lo, hi): the UEFI map's usable ranges when the loader
 * handed one over (and it lies in RAM), the map itself then cut out; else
 * the whole range, as the device tree says. Returns the piece count. */
static unsigned free_ram(uint64_t dtb, uint64_t ram_base, uint64_t lo, uint64_t hi, struct mem_piece *p)
{
        struct uefi_map m;
        unsigned n, dropped;
        uint64_t usable = 0;

        if (!arch_fdt_uefi_map(dtb, &m))
                goto device_tree;
        if (!uefi_map_inside(&m, ram_base, hi)) {
                arch_log("memory: the UEFI map at 0x%lx is outside RAM; the device tree's instead",
                         (unsigned long)m.start);
                goto device_tree;
        }
        n = uefi_map_pieces(arch_phys(m.start), &m, lo, hi, p, MAX_PIECES, &dropped);
        cut(p, &n, m.start & ~(ARCH_PAGE - 1), align_up(m.start + m.size, ARCH_PAGE));
        for (unsigned i = 0; i < n; i++)
                usable += p[i].end - p[i].base;
        arch_log("memory from UEFI map: %u regions, %lu MiB usable%s", m.size / m.desc_size,
                 (unsigned long)(usable >> 20), dropped ? " (some ranges dropped: too many pieces)" : "");
        return n;
device_tree:
        p[0] = (struct mem_piece){ lo, hi };
        return 1;
}

/* Device Untyped caps for [base, base + size): the core carves them in
 * aligned powers of two, never zeroed. */
static void device(uint64_t base, uint64_t size, const char *what)
{
        if (mk_boot_untyped(&arch_k, &arch_bi, (uintptr_t)arch_phys(base), size, true) < 1)
                arch_panic("memory: no device Untyped for %s", what);
}

/* arch_core_boot: the core's first objects from the device tree's memory
 * (or the UEFI map's, see free_ram). */
void arch_core_boot(uint64_t dtb)
{
        struct mem_piece p[MAX_PIECES];
        uint64_t base, size, lo, hi;
        unsigned n, first = MAX_PIECES;

        arch_cache_init();
        if (!arch_fdt_memory(dtb, &base, &size))
                arch_panic("memory: no /memory node in the device tree");
        if (size < ARCH_PAGE || base + size < base)
                arch_panic("memory: /memory %lx + %lx is empty or wraps", (unsigned long)base,
                           (unsigned long)size);
        lo = align_up(arch_virt_to_phys(__kernel_end), ARCH_PAGE);
        hi = map_ram(base, size);
        n = free_ram(dtb, base, lo, hi, p);
        reach(base, hi, p, n);
        cut(p, &n, dtb & ~(ARCH_PAGE - 1), align_up(dtb + fdt_size(dtb), ARCH_PAGE));
        if (arch_ramfb_phys)
                cut(p, &n, arch_ramfb_phys, arch_ramfb_phys + ARCH_RAMFB_SIZE);
        for (unsigned i = 0; i < n && first == MAX_PIECES; i++)
                if (p[i].end > p[i].base)
                        first = i;
        if (first == MAX_PIECES ||
            mk_boot(&arch_k, arch_phys(p[first].base), p[first].end - p[first].base, ROOT_RADIX,
                    &arch_bi) != 0)
                arch_panic("memory: no room for the root CNode");
        arch_k.arch = &arch_ops;
        arch_k.phys_offset = KERNEL_VBASE;
        arch_k.nx = 1;
        for (unsigned i = 0; i < n; i++)
                if (i != first && p[i].end > p[i].base &&
                    mk_boot_untyped(&arch_k, &arch_bi, (uintptr_t)arch_phys(p[i].base),
                                    p[i].end - p[i].base, false) < 0)
                        arch_panic("memory: the root CNode is full");
        arch_device_untyped = arch_bi.empty_first;
        if (arch_ramfb_phys)
                device(arch_ramfb_phys, ARCH_RAMFB_SIZE, "the ramfb's RAM");
        if (arch_fw_cfg)
                device(arch_fw_cfg, ARCH_PAGE, "fw_cfg");
        if (arch_pci.ecam) {
                device(arch_pci.ecam, arch_pci.ecam_size, "the PCIe ECAM");
                device(arch_pci.mmio, arch_pci.mmio_size, "the PCIe memory window");
        }
        /* The PL011's page, for the root task's interrupt check (the
         * kernel logs through it too: the root is trusted with it). */
        device(ARCH_PL011, ARCH_PAGE, "the PL011");
        arch_log("core: root CNode of %u slots, %lu Untyped caps", 1u << ROOT_RADIX,
                 (unsigned long)arch_bi.untyped_count);
}
