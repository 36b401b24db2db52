/* kernel/root/pcicfg.c: see pcicfg.h. */
#include "mku/fmt.h"
#include "pcicfg.h"

uint32_t rt_pci_addr(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
        return 0x80000000u | (bus & 0xffu) << 16 | (dev & 0x1fu) << 11 | (fn & 7u) << 8 |
               (reg & 0xfcu);
}

int rt_pci_decode(uint32_t id, uint32_t class_rev, uint32_t hdr, struct rt_pci_dev *d)
{
        if ((id & 0xffffu) == RT_PCI_NONE)
                return -1;
        d->vendor = (uint16_t)id;
        d->device = (uint16_t)(id >> 16);
        d->class = (uint8_t)(class_rev >> 24);
        d->subclass = (uint8_t)(class_rev >> 16);
        d->header = (uint8_t)(hdr >> 16);
        return 0;
}

int rt_pci_is_bridge(const struct rt_pci_dev *d)
{
        return d->class == 0x06 && d->subclass == 0x04 && (d->header & 0x7fu) == 1;
}

uint64_t rt_pci_bar_base(uint32_t lo, uint32_t hi)
{
        if (lo & 1u)
                return 0;
        if (((lo >> 1) & 3u) == 2u)
                return ((uint64_t)hi << 32) | (lo & ~0xfu);
        return lo & ~0xfu;
}

int rt_pci_format(char *buf, size_t size, const struct rt_pci_dev *d)
{
        return mku_format(buf, size, "pci %02x:%02x.%u %04x:%04x class %02x",
                          d->bus, d->dev, d->fn, d->vendor, d->device, d->class);
}
