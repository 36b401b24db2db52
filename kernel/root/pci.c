/* kernel/root/pci.c: list the PCI devices through configuration ports
 * 0xCF8/0xCFC, reached with an I/O port capability for 0xCF8..0xCFF. Bus 0
 * first, then the bus behind every bridge found; one line per function. */
#include "pcicfg.h"
#include "root.h"

#define RT_PCI_MAX_DEPTH 8u

static uint32_t cfg_read(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
        uint32_t v = 0;
        int r;

        r = mku_ioport_out(rt.ioport_pci, RT_PCI_ADDR_PORT, 4, rt_pci_addr(bus, dev, fn, reg));
        if (r == MK_OK)
                r = mku_ioport_in(rt.ioport_pci, RT_PCI_DATA_PORT, 4, &v);
        if (r != MK_OK)
                rt_fail("pci config read", r);
        return v;
}

static int probe(unsigned bus, unsigned dev, unsigned fn, struct rt_pci_dev *d)
{
        uint32_t id = cfg_read(bus, dev, fn, 0);

        if ((id & 0xffffu) == RT_PCI_NONE)
                return -1;
        d->bus = (uint8_t)bus;
        d->dev = (uint8_t)dev;
        d->fn = (uint8_t)fn;
        return rt_pci_decode(id, cfg_read(bus, dev, fn, 8), cfg_read(bus, dev, fn, 0xc), d);
}

static void scan_bus(unsigned bus, unsigned depth, uint64_t *stdvga);

static void report(const struct rt_pci_dev *d, unsigned depth, uint64_t *stdvga)
{
        char line[64];
        unsigned sec;

        (void)rt_pci_format(line, sizeof(line), d);
        rt_say("%s", line);
        if (d->vendor == 0x1234 && d->device == 0x1111 && !*stdvga)
                *stdvga = rt_pci_bar_base(cfg_read(d->bus, d->dev, d->fn, 0x10),
                                          cfg_read(d->bus, d->dev, d->fn, 0x14));
        if (rt_pci_is_bridge(d) && depth < RT_PCI_MAX_DEPTH) {
                sec = (cfg_read(d->bus, d->dev, d->fn, 0x18) >> 8) & 0xffu;
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

uint64_t rt_check_pci(void)
{
        uint64_t stdvga = 0;
        int r;

        rt.ioport_pci = rt_slots(1);
        r = mku_ioport_issue(rt.info->ioport_control, RT_PCI_ADDR_PORT, RT_PCI_DATA_PORT + 3,
                             rt.info->cnode, rt.ioport_pci);
        if (r != MK_OK)
                rt_fail("ioport issue 0xCF8", r);
        scan_bus(0, 0, &stdvga);
        return stdvga;
}
