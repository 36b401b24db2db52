/* kernel/root/pci.c: list the PCI devices through rt_pci_read, whatever
 * reaches configuration space (pci-port.c: ports 0xCF8/0xCFC on x86-64;
 * aarch64/ecam.c: the PCIe ECAM). Bus 0 first, then the bus behind every
 * bridge found; one line per function. The first ivshmem device is
 * remembered for channel.c. */
#include "pcicfg.h"
#include "root.h"

#define RT_PCI_MAX_DEPTH 8u

static int probe(unsigned bus, unsigned dev, unsigned fn, struct rt_pci_dev *d)
{
        uint32_t id = rt_pci_read(bus, dev, fn, 0);

        if ((id & 0xffffu) == RT_PCI_NONE)
                return -1;
        d->bus = (uint8_t)bus;
        d->dev = (uint8_t)dev;
        d->fn = (uint8_t)fn;
        return rt_pci_decode(id, rt_pci_read(bus, dev, fn, 8), rt_pci_read(bus, dev, fn, 0xc), d);
}

static void scan_bus(unsigned bus, unsigned depth, uint64_t *stdvga);

static void report(const struct rt_pci_dev *d, unsigned depth, uint64_t *stdvga)
{
        char line[64];
        unsigned sec;

        (void)rt_pci_format(line, sizeof(line), d);
        rt_say("%s", line);
        if (d->vendor == 0x1234 && d->device == 0x1111 && !*stdvga)
                *stdvga = rt_pci_bar_base(rt_pci_read(d->bus, d->dev, d->fn, 0x10),
                                          rt_pci_read(d->bus, d->dev, d->fn, 0x14));
        if (d->vendor == RT_IVSHMEM_VENDOR && d->device == RT_IVSHMEM_DEVICE && !rt.ivshmem.found)
                rt.ivshmem = (struct rt_pci_where){ 1, d->bus, d->dev, d->fn };
        if (rt_pci_is_bridge(d) && depth < RT_PCI_MAX_DEPTH) {
                sec = (rt_pci_read(d->bus, d->dev, d->fn, 0x18) >> 8) & 0xffu;
                if (sec > d->bus)
                        scan_bus(sec, depth + 1, stdvga);
        }
}

static void scan_bus(unsigned bus, unsigned depth, uint64_t *stdvga)
{
        struct rt_pci_dev d;
        unsigned fns;

        for (unsigned dev = 0; dev < 32; dev++) {
                if (probe(bus, dev, 0, &d) < 0)
                        continue;
                fns = d.header & 0x80u ? 8 : 1;
                report(&d, depth, stdvga);
                for (unsigned fn = 1; fn < fns; fn++)
                        if (probe(bus, dev, fn, &d) == 0)
                                report(&d, depth, stdvga);
        }
}

uint64_t rt_pci_scan(void)
{
        uint64_t stdvga = 0;

        scan_bus(0, 0, &stdvga);
        return stdvga;
}
