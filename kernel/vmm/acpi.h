/* kernel/vmm/acpi.h: the guest's firmware tables and its sleep register
 * pair. Hardware-reduced ACPI (README.md, "Firmware tables", says why):
 * RSDP, XSDT, FADT (HW_REDUCED_ACPI, sleep control/status registers in
 * port space), MADT (one local APIC, the I/O APIC, ISA IRQ 0 on GSI 2)
 * and a DSDT whose AML holds \_S5 and the devices Linux cannot find
 * otherwise: the PCI root bridge with its windows, COM1, the i8042's
 * keyboard and mouse.
 *
 * vmm_acpi_build writes them into a buffer the owner maps into the guest
 * at `gpa`; with gpa in 0xE0000-0xFFFFF (the BIOS area, outside e820's
 * RAM) Linux finds the RSDP by its scan, anywhere else the owner passes
 * gpa in the zero page's acpi_rsdp_addr (boot protocol 2.14). */
#ifndef THATTE_KVMM_ACPI_H
#define THATTE_KVMM_ACPI_H

#include "ivshmem.h"

#define ACPI_SLEEP_PORT 0x600   /* sleep control; +1 sleep status */
#define ACPI_S5_TYPE 5          /* the SLP_TYP \_S5 names */
#define ACPI_BUILD_MAX 4096

struct vmm_acpi_config {
        uint32_t apic_id;
        uint8_t ioapic_id;
        /* PCI windows the DSDT's root bridge declares: [0] below 4 GiB,
         * [1] above (size 0: none). The BARs must be placed inside. */
        struct vmm_pci_window mmio32, mmio64;
        /* The power button (acpi-dsdt.c): 0 none; else \_SB.PWRB (PNP0C0C)
         * and a Generic Event Device \_SB.GED0 (ACPI0013) on this GSI,
         * edge and active high, whose _EVT notifies PWRB with 0x80: the
         * owner pulses the GSI and Linux's button driver sees KEY_POWER. */
        uint32_t power_button_gsi;
};

/* Writes the tables at buf (size bytes, the guest sees them at gpa,
 * 16-byte aligned, below 4 GiB as the FADT's 32-bit DSDT field wants)
 * and sets *ret_len. The RSDP is at buf's start. -VMM_EINVAL for a bad
 * gpa, a window wrapping or not where it belongs; -VMM_ENOSPC if size
 * is too small (nothing useful written then). */
int vmm_acpi_build(uint8_t *buf, size_t size, uint64_t gpa, const struct vmm_acpi_config *cfg,
                   size_t *ret_len);

/* The sleep register pair (pm.c). A write of SLP_EN with SLP_TYP 5 is
 * the guest asking for S5: s5_requested goes true for the owner. */
struct vmm_pm {
        uint8_t control;
        bool wake_status;
        bool s5_requested;
        uint64_t other_sleeps;  /* SLP_EN with another type: no such state */
};

void vmm_pm_init(struct vmm_pm *pm);
/* One IOIO access: -VMM_ENOENT if not ACPI_SLEEP_PORT or +1. Wider
 * accesses cover the two registers byte by byte. */
int vmm_pm_io(struct vmm_pm *pm, struct vmm_io *io);

#endif
