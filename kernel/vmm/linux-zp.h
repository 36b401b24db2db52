/* kernel/vmm/linux-zp.h: the zero page (struct boot_params), internal to
 * the Linux loader. */
#ifndef THATTE_KVMM_LINUX_ZP_H
#define THATTE_KVMM_LINUX_ZP_H

#include "linux-boot.h"

/* The PC's legacy hole (VGA memory, option ROMs, BIOS): never RAM. */
#define LEGACY_HOLE_START 0xa0000u
#define LEGACY_HOLE_END 0x100000u

/* Offsets in boot_params that the loader and its tests use. */
#define ZP_EXT_RAMDISK_IMAGE 0x0c0
#define ZP_EXT_RAMDISK_SIZE 0x0c4
#define ZP_EXT_CMD_LINE_PTR 0x0c8
#define ZP_E820_ENTRIES 0x1e8
#define ZP_HDR 0x1f1
#define ZP_E820_TABLE 0x2d0
#define ZP_E820_MAX 128
#define E820_RAM 1

/* Writes the 4 KiB zero page at zp; returns the number of e820 entries. */
uint32_t linux_write_zero_page(uint8_t *zp, const struct linux_boot *b,
                               const struct linux_header *h, const struct guest_ram *ram,
                               const struct linux_layout *l);

#endif
