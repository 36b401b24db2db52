/* thatte/rootinfo.h: what thatte-mk tells its root task, in a read-only
 * page mapped at THATTE_ROOT_INFO_VADDR (seL4's bootinfo frame).
 *
 * The root task starts at its ELF entry in ring 3 with
 *   rdi = THATTE_ROOT_INFO_VADDR,
 *   rsp = THATTE_ROOT_STACK_TOP (THATTE_ROOT_STACK_PAGES pages mapped below),
 *   its IPC buffer mapped at THATTE_ROOT_IPCBUF_VADDR,
 * interrupts on, and every capability named below in its root CNode.
 * CPtrs here are slot indexes of the root CNode, resolvable with depth 64.
 * Freestanding: needs only <stdint.h>. */
#ifndef THATTE_ROOTINFO_H
#define THATTE_ROOTINFO_H

#include <stdint.h>

#include "thatte/bootinfo.h"

#define THATTE_ROOT_INFO_MAGIC 0x544f4f5245544854ull   /* "THTEROOT" */
#define THATTE_ROOT_INFO_VERSION 4u

/* The root task's fixed virtual layout (its ELF is linked at 0x400000). */
#define THATTE_ROOT_IPCBUF_VADDR 0x00007fffffe00000ull
#define THATTE_ROOT_INFO_VADDR   0x00007fffffe01000ull
#define THATTE_ROOT_STACK_TOP    0x00007fffffd00000ull
#define THATTE_ROOT_STACK_PAGES  16u

/* One Untyped cap: its physical range and whether it is device memory
 * (never zeroed; only Frames may be retyped from it). */
struct thatte_root_untyped {
        uint64_t paddr;
        uint8_t size_bits;
        uint8_t is_device;
        uint8_t pad[6];
};

#define THATTE_ROOT_UNTYPED_MAX 200u

/* A boot module other than the root task's own ELF (e.g. `driveros-kernel`,
 * `driveros-initrd`, `driveros-cmdline`): read-only 4 KiB Frame caps in
 * slots [first, first + count) cover its pages in order; its bytes start
 * `offset` bytes into the first frame (a loader may pack modules without
 * page alignment) and run for `size` bytes. */
struct thatte_root_module {
        char name[THATTE_MODULE_NAME_MAX]; /* NUL-terminated */
        uint64_t size;
        uint64_t offset;
        uint64_t first, count;
};

#define THATTE_ROOT_MODULE_MAX 4u

/* The machine's ACPI power button and soft-off, as the kernel read them
 * from the FADT and the DSDT's \_S5 (kernel/arch/x86_64/acpi-power.c).
 * Ports are I/O port numbers, 0: absent. The root task issues itself
 * I/O port caps for exactly these ports. */
struct thatte_acpi_power {
        uint32_t flags;                 /* THATTE_ACPI_POWER_* */
        uint16_t sci_irq;               /* the SCI's ISA IRQ (FADT SCI_INT) */
        uint16_t smi_cmd;               /* write acpi_enable here to enter ACPI mode */
        uint16_t pm1a_evt, pm1b_evt;    /* PM1 event blocks: status, then enable */
        uint16_t pm1a_cnt, pm1b_cnt;    /* PM1 control blocks */
        uint8_t pm1_evt_len;            /* bytes of each event block (both halves) */
        uint8_t pm1_cnt_len;            /* bytes of each control block */
        uint8_t acpi_enable;            /* the SMI command that turns ACPI mode on, 0: none */
        uint8_t slp_typ_a, slp_typ_b;   /* \_S5's SLP_TYP for PM1a and PM1b control */
        uint8_t pad[3];
};

#define THATTE_ACPI_POWER_OFF    1u     /* PM1a control and \_S5 known: soft-off works */
#define THATTE_ACPI_POWER_BUTTON 2u     /* a fixed-feature power button on the SCI */

/* Devices the kernel found in the machine's description and hands the
 * root task to drive itself, each covered by device Untyped caps listed
 * in untyped[] (aarch64: from the device tree; x86-64: all 0). Physical
 * addresses; 0: none. */
struct thatte_root_devices {
        uint64_t fw_cfg;                /* QEMU's fw_cfg registers (one page) */
        uint64_t ramfb, ramfb_size;     /* RAM set aside for a ramfb frame buffer */
        uint64_t pci_ecam, pci_ecam_size; /* PCIe configuration space (ECAM) */
        uint64_t pci_mmio, pci_mmio_size; /* a 32-bit memory window for BARs */
        uint64_t pci_mmio_bus;          /* that window's address as PCI sees it */
};

struct thatte_root_info {
        uint64_t magic;                 /* THATTE_ROOT_INFO_MAGIC */
        uint32_t version;               /* THATTE_ROOT_INFO_VERSION */
        uint32_t cnode_radix;           /* the root CNode has 2^radix slots */

        /* Fixed capabilities. */
        uint64_t tcb;                   /* the root thread */
        uint64_t cnode;                 /* the root CNode itself */
        uint64_t vspace;                /* the root task's PML4 */
        uint64_t irq_control;           /* issues IRQ handler caps */
        uint64_t ioport_control;        /* issues I/O port caps for port ranges */
        uint64_t ipcbuf_frame;          /* the frame at THATTE_ROOT_IPCBUF_VADDR */
        uint64_t debug_console;         /* MK_SYS_DEBUG_PUT, unbadged: writes raw */

        /* Caps of the root task's own image, stack and page tables
         * (slots [first, first + count)), so it may reuse or revoke them. */
        uint64_t image_first, image_count;

        /* Untyped caps: slots [untyped_first, untyped_first + untyped_count),
         * described in the same order by untyped[]. */
        uint64_t untyped_first, untyped_count;

        /* Free slots: [empty_first, 2^cnode_radix). */
        uint64_t empty_first;

        /* The framebuffer the loader found (format NONE: none); its pages
         * are covered by device Untyped caps listed above. */
        struct thatte_framebuffer fb;

        uint64_t rsdp;                  /* physical, 0: none */
        uint64_t boot_source;           /* enum thatte_boot_source */
        uint64_t tsc_kernel_entry;      /* rdtsc at the kernel's first instruction */
        uint64_t tsc_root_start;        /* rdtsc just before the first return to user */
        uint64_t tsc_loader_entry;      /* copied from the loader, 0 if none */
        char cmdline[256];              /* the kernel command line, NUL-terminated */

        struct thatte_root_untyped untyped[THATTE_ROOT_UNTYPED_MAX];

        uint64_t module_count;          /* entries of modules[] */
        struct thatte_root_module modules[THATTE_ROOT_MODULE_MAX];

        struct thatte_acpi_power power; /* all 0: no ACPI power control */

        /* The TSC's rate as the kernel measured it at boot (x86-64: CPUID
         * 0x15 when it gives one, else against PIT channel 2; aarch64: the
         * nanosecond clock, 1000000); 0: unknown. */
        uint64_t tsc_khz;

        struct thatte_root_devices devices;
};

_Static_assert(sizeof(struct thatte_root_info) <= 4096, "root info fits one page");

#endif
