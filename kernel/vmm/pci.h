/* kernel/vmm/pci.h: the guest's PCI bus 0 through configuration
 * mechanism #1 (ports 0xCF8 and 0xCFC-0xCFF): a host bridge at 00:00.0
 * and the functions the owner attaches. A function is a 256-byte
 * configuration space with a write mask per byte, so every width and
 * offset a guest tries goes through one rule: a byte the mask does not
 * cover keeps its value. BAR sizing falls out of the mask (all ones
 * written, the size's complement read back). */
#ifndef THATTE_KVMM_PCI_H
#define THATTE_KVMM_PCI_H

#include "vmm.h"

#define PCI_SLOTS 32
#define PCI_CFG_SIZE 256
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_BAR0 0x10

struct vmm_pci_fn {
        uint8_t cfg[PCI_CFG_SIZE];
        uint8_t wmask[PCI_CFG_SIZE];
        /* Called after a guest write of len bytes at off (may be NULL). */
        void (*written)(struct vmm_pci_fn *fn, unsigned off, unsigned len);
};

struct vmm_pci {
        uint32_t addr;          /* CONFIG_ADDRESS as the guest wrote it, reserved bits 0 */
        struct vmm_pci_fn host_bridge;
        struct vmm_pci_fn *slot[PCI_SLOTS];     /* function 0 of device n, bus 0 */
        uint64_t unclaimed;     /* accesses to absent functions, other buses, crossing 0xCFF */
};

/* The bus with its host bridge (8086:1237, class 0x060000) at 00:00.0. */
void vmm_pci_init(struct vmm_pci *pci);
/* fn as device dev, function 0: -VMM_EINVAL for dev 0 or ≥ 32, or taken. */
int vmm_pci_attach(struct vmm_pci *pci, unsigned dev, struct vmm_pci_fn *fn);

/* One IOIO access: -VMM_ENOENT if not 0xCF8-0xCFF (not the bus's);
 * 1 after a write reached a function's configuration space (the owner
 * rechecks what the function decodes: BARs, MSI-X), else 0. A read's
 * result is in io->value. CONFIG_ADDRESS takes dword accesses only;
 * narrower ones at 0xCF8-0xCFB read all ones and write nothing. */
int vmm_pci_io(struct vmm_pci *pci, struct vmm_io *io);

/* Building a function: little-endian fields of its space and mask. */
void vmm_pci_set(uint8_t *space, unsigned off, unsigned len, uint32_t v);
uint32_t vmm_pci_get(const uint8_t *space, unsigned off, unsigned len);

#endif
