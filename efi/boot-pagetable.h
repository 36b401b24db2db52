/* efi/boot-pagetable.h: the page tables the loader hands to the kernel
 * (bootinfo.h, "Handoff"): [0, 4 GiB) identity and THATTE_KERNEL_VBASE +
 * [0, 1 GiB), writable and executable, in 2 MiB pages.
 *
 * Freestanding on purpose: built inside thatte-boot.efi and checked entry
 * by entry on the host by tests/unit/efi-boot-pagetable.c. */
#ifndef THATTE_EFI_BOOT_PAGETABLE_H
#define THATTE_EFI_BOOT_PAGETABLE_H

#include <stdint.h>

/* Tables: PML4, the low PDPT, the high PDPT, four page directories. */
#define BOOT_PT_PAGES 7

#define BOOT_PT_PRESENT 0x1ull
#define BOOT_PT_WRITE 0x2ull
#define BOOT_PT_LARGE 0x80ull   /* PS: a 2 MiB page in a page directory */

/* boot_pt_build: fills the BOOT_PT_PAGES 4 KiB tables at tables, which
 * live at physical address phys (page aligned), and returns the CR3
 * value (phys). Every byte of the tables is written. */
uint64_t boot_pt_build(uint64_t *tables, uint64_t phys);

#endif
