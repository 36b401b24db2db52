/* kernel/root/aarch64/ecam.c: PCI configuration space on QEMU virt,
 * through the PCIe host bridge's ECAM (the device tree's
 * pci-host-ecam-generic node, which the kernel hands over as device
 * Untyped and names in the root info): one 4 KiB page per function at
 * bus << 20 | dev << 15 | fn << 12, mapped uncached for the first
 * RT_ECAM_BUSES buses. No firmware ran, so nothing placed the BARs: the
 * root task places every memory BAR of bus 0 in the bridge's 32-bit
 * window (ecam-bars.c), the display card's first and in BAR order, then
 * the channel's, as they are mapped later (a device Untyped is mapped in
 * ascending order, devmap.c), and turns memory decoding on. */
#include "ecam-bars.h"
#include "pcicfg.h"
#include "root.h"

#define RT_ECAM_BUSES 16u
#define PCI_COMMAND 0x04u
#define PCI_COMMAND_MEMORY 0x2u
#define PCI_BAR0 0x10u

static volatile uint32_t *ecam;
static unsigned ecam_buses;     /* mapped: at most RT_ECAM_BUSES, as far as the ECAM goes */

static volatile uint32_t *reg_at(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
        return ecam + (((uint64_t)bus << 20 | (dev & 31u) << 15 | (fn & 7u) << 12 | (reg & 0xffcu)) >> 2);
}

uint32_t rt_pci_read(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
        return bus < ecam_buses ? *reg_at(bus, dev, fn, reg) : 0xffffffffu;
}

void rt_pci_write(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v)
{
        if (bus < ecam_buses)
                *reg_at(bus, dev, fn, reg) = v;
}

/* Size BAR i of function (0, dev, fn) with decoding off: its request,
 * size 0 when it is absent or an I/O BAR. */
static struct rt_bar_req size_bar(unsigned dev, unsigned fn, unsigned i)
{
        unsigned reg = PCI_BAR0 + 4 * i;
        uint32_t lo = rt_pci_read(0, dev, fn, reg), slo, shi = 0xffffffffu;
        struct rt_bar_req q = { .dev = (uint8_t)dev, .fn = (uint8_t)fn, .bar = (uint8_t)i };

        if (lo & 1u)
                return q;
        q.is64 = ((lo >> 1) & 3u) == 2u && i < 5;
        rt_pci_write(0, dev, fn, reg, 0xffffffffu);
        slo = rt_pci_read(0, dev, fn, reg);
        if (q.is64) {
                rt_pci_write(0, dev, fn, reg + 4, 0xffffffffu);
                shi = rt_pci_read(0, dev, fn, reg + 4);
        }
        q.size = rt_bar_size(slo, shi, q.is64);
        return q;
}

/* Every memory BAR of bus 0's functions, in the order found (rt_bar_place
 * orders them); returns how many. */
static unsigned collect(struct rt_bar_req *q, unsigned max)
{
        unsigned n = 0;

        for (unsigned dev = 0; dev < 32; dev++)
                for (unsigned fn = 0; fn < 8; fn++) {
                        uint32_t id = rt_pci_read(0, dev, fn, 0), hdr = rt_pci_read(0, dev, fn, 0xc);

                        if ((id & 0xffffu) == RT_PCI_NONE) {
                                if (fn == 0)
                                        break;
                                continue;
                        }
                        if ((hdr >> 16 & 0x7fu) != 0)
                                goto next;      /* bridges: their buses stay empty here */
                        rt_pci_write(0, dev, fn, PCI_COMMAND,
                                     rt_pci_read(0, dev, fn, PCI_COMMAND) & 0xffffu & ~PCI_COMMAND_MEMORY);
                        for (unsigned i = 0; i < 6 && n < max; i++) {
                                q[n] = size_bar(dev, fn, i);
                                q[n].rank = rt_bar_rank(id);
                                if (q[n].is64)
                                        i++;
                                if (q[n].size)
                                        n++;
                        }
                next:
                        if (fn == 0 && !(hdr >> 16 & 0x80u))
                                break;
                }
        return n;
}

/* Write the placed BARs; decoding back on where every BAR got a place. */
static void program(const struct rt_bar_req *q, unsigned n)
{
        for (unsigned i = 0; i < n; i++) {
                unsigned reg = PCI_BAR0 + 4 * q[i].bar;

                if (!q[i].placed) {
                        rt_say("pci 00:%02x.%u BAR%u: %lu bytes do not fit the window", q[i].dev, q[i].fn,
                               q[i].bar, (unsigned long)q[i].size);
                        continue;
                }
                rt_pci_write(0, q[i].dev, q[i].fn, reg, (uint32_t)q[i].bus_addr);
                if (q[i].is64)
                        rt_pci_write(0, q[i].dev, q[i].fn, reg + 4, (uint32_t)(q[i].bus_addr >> 32));
        }
        for (unsigned i = 0; i < n; i++) {
                int all = 1;

                for (unsigned j = 0; j < n; j++)
                        if (q[j].dev == q[i].dev && q[j].fn == q[i].fn && !q[j].placed)
                                all = 0;
                if (all)
                        rt_pci_write(0, q[i].dev, q[i].fn, PCI_COMMAND,
                                     (rt_pci_read(0, q[i].dev, q[i].fn, PCI_COMMAND) & 0xffffu) |
                                     PCI_COMMAND_MEMORY);
        }
}

uint64_t rt_check_pci(void)
{
        const struct thatte_root_devices *d = &rt.info->devices;
        struct rt_bar_req q[64];
        uint64_t map;
        unsigned n;

        if (!d->pci_ecam) {
                rt_say("pci: no PCIe host bridge in the device tree");
                return 0;
        }
        map = d->pci_ecam_size < (RT_ECAM_BUSES << 20) ? d->pci_ecam_size : RT_ECAM_BUSES << 20;
        ecam = rt_map_mmio(d->pci_ecam, map, RT_ECAM_VADDR);
        if (!ecam)
                rt_fail("ECAM mapping", MK_E_INVALID_CAP);
        ecam_buses = (unsigned)(map >> 20);
        n = collect(q, sizeof(q) / sizeof(q[0]));
        rt_bar_place(q, n, d->pci_mmio, d->pci_mmio_size, d->pci_mmio_bus);
        program(q, n);
        rt_say("pci: ECAM at 0x%lx, %u memory BARs placed in 0x%lx..0x%lx", (unsigned long)d->pci_ecam,
               n, (unsigned long)d->pci_mmio, (unsigned long)(d->pci_mmio + d->pci_mmio_size));
        return rt_pci_scan();
}
