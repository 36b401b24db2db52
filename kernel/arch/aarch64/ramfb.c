/* kernel/arch/aarch64/ramfb.c: the devices the root task drives itself,
 * found in the device tree and handed over as device Untyped (mem.c) and
 * in the root info (arch_root_devices): fw_cfg's registers; RAM for a
 * ramfb frame buffer when QEMU has one (fw_cfg lists "etc/ramfb": the
 * kernel only reads fw_cfg's file directory, the root task hands the
 * buffer to ramfb by fw_cfg DMA, so it must know the buffer's physical
 * address); the PCIe host bridge's ECAM and 32-bit memory window, where
 * the root task places BARs (bochs-display, ivshmem). The buffer's place is fixed
 * (RAMFB_PHYS, inside the smallest RAM the tests use, clear of the image
 * and of QEMU's device tree). */
#include "arch.h"
#include "fw-cfg.h"
#include "thatte/rootinfo.h"

#define RAMFB_PHYS 0x44000000ull

uint64_t arch_ramfb_phys;
uint64_t arch_fw_cfg;
struct arch_pci_host arch_pci;

void arch_devices_find(uint64_t dtb)
{
        /* the kernel reads fw_cfg here: it must lie in the devices' GiB,
         * which head.S maps as device memory */
        if (arch_fdt_fw_cfg(dtb, &arch_fw_cfg) && arch_fw_cfg < (1ull << 30)) {
                arch_log("fw_cfg: registers at %lx (device tree)", (unsigned long)arch_fw_cfg);
                if (fw_cfg_find(arch_phys(arch_fw_cfg), "etc/ramfb")) {
                        arch_ramfb_phys = RAMFB_PHYS;
                        arch_log("ramfb: %lu MiB of RAM at %lx for the root task",
                                 (unsigned long)(ARCH_RAMFB_SIZE >> 20), (unsigned long)RAMFB_PHYS);
                }
        } else {
                arch_fw_cfg = 0;
        }
        if (arch_fdt_pci(dtb, &arch_pci))
                arch_log("pcie: ECAM %lx (%lu MiB), 32-bit window %lx (%lu MiB, bus address %lx)",
                         (unsigned long)arch_pci.ecam, (unsigned long)(arch_pci.ecam_size >> 20),
                         (unsigned long)arch_pci.mmio, (unsigned long)(arch_pci.mmio_size >> 20),
                         (unsigned long)arch_pci.mmio_bus);
        else
                arch_pci = (struct arch_pci_host){ 0 };
}

void arch_root_devices(struct thatte_root_devices *d)
{
        d->fw_cfg = arch_fw_cfg;
        d->ramfb = arch_ramfb_phys;
        d->ramfb_size = arch_ramfb_phys ? ARCH_RAMFB_SIZE : 0;
        d->pci_ecam = arch_pci.ecam;
        d->pci_ecam_size = arch_pci.ecam_size;
        d->pci_mmio = arch_pci.mmio;
        d->pci_mmio_size = arch_pci.mmio_size;
        d->pci_mmio_bus = arch_pci.mmio_bus;
}
