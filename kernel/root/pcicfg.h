/* kernel/root/pcicfg.h: PCI configuration mechanism #1, as data. Pure
 * functions (no I/O), so tests/unit/root-pci.c checks them on the host. */
#ifndef THATTE_ROOT_PCICFG_H
#define THATTE_ROOT_PCICFG_H

#include <stddef.h>
#include <stdint.h>

#define RT_PCI_ADDR_PORT 0xcf8u
#define RT_PCI_DATA_PORT 0xcfcu
#define RT_PCI_NONE 0xffffu     /* vendor ID read from an empty slot */

struct rt_pci_dev {
        uint8_t bus, dev, fn;
        uint16_t vendor, device;
        uint8_t class, subclass;
        uint8_t header;         /* header type, bit 7: multi-function */
};

/* rt_pci_addr: the CONFIG_ADDRESS word for a register (dword aligned). */
uint32_t rt_pci_addr(unsigned bus, unsigned dev, unsigned fn, unsigned reg);

/* rt_pci_decode: fill d's IDs from config dwords 0x00, 0x08 and 0x0C.
 * Returns 0, or -1 when the slot is empty (vendor 0xFFFF). */
int rt_pci_decode(uint32_t id, uint32_t class_rev, uint32_t hdr, struct rt_pci_dev *d);

/* rt_pci_is_bridge: a PCI-to-PCI bridge (class 06:04, header type 1). */
int rt_pci_is_bridge(const struct rt_pci_dev *d);

/* rt_pci_bar_base: the memory address of a BAR from its dword and, for a
 * 64-bit BAR, the next one; 0 for an I/O BAR. */
uint64_t rt_pci_bar_base(uint32_t lo, uint32_t hi);

/* rt_pci_format: "pci BB:DD.F VVVV:DDDD class CC" into buf; as snprintf. */
int rt_pci_format(char *buf, size_t size, const struct rt_pci_dev *d);

#endif
