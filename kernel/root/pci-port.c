/* kernel/root/pci-port.c: PCI configuration space on the PC, through
 * ports 0xCF8/0xCFC (mechanism #1), reached with an I/O port capability
 * for 0xCF8..0xCFF; pci.c lists the devices through it. */
#include "pcicfg.h"
#include "root.h"

static uint64_t ioport_pci;     /* 0xCF8..0xCFF */

uint32_t rt_pci_read(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
        uint32_t v = 0;
        int r;

        r = mku_ioport_out(ioport_pci, RT_PCI_ADDR_PORT, 4, rt_pci_addr(bus, dev, fn, reg));
        if (r == MK_OK)
                r = mku_ioport_in(ioport_pci, RT_PCI_DATA_PORT, 4, &v);
        if (r != MK_OK)
                rt_fail("pci config read", r);
        return v;
}

void rt_pci_write(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v)
{
        int r;

        r = mku_ioport_out(ioport_pci, RT_PCI_ADDR_PORT, 4, rt_pci_addr(bus, dev, fn, reg));
        if (r == MK_OK)
                r = mku_ioport_out(ioport_pci, RT_PCI_DATA_PORT, 4, v);
        if (r != MK_OK)
                rt_fail("pci config write", r);
}

uint64_t rt_check_pci(void)
{
        ioport_pci = rt_ioport(RT_PCI_ADDR_PORT, RT_PCI_DATA_PORT + 3, "ioport issue 0xCF8");
        return rt_pci_scan();
}
