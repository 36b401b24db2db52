/* efi/boot-a64-fdt.h: the kernel command line into a flattened device
 * tree's /chosen/bootargs (Devicetree Specification 0.4, chapter 5: header,
 * memory reservation block, structure block of tokens, strings block).
 *
 * Freestanding on purpose: thatte-boot-aa64.efi puts the packed command
 * line into its copy of the firmware's tree with it, and
 * tests/unit/efi-boot-a64-fdt.c runs it on trees built there. */
#ifndef THATTE_EFI_BOOT_A64_FDT_H
#define THATTE_EFI_BOOT_A64_FDT_H

#include <stddef.h>
#include <stdint.h>

/* The room boot_a64_fdt_set_bootargs may need beyond the source tree for
 * a command line of len bytes (a /chosen node, the property, the name). */
#define BOOT_A64_FDT_SLACK(len) ((len) + 64)

/* What boot_a64_fdt_set_chosen puts into /chosen: bootargs = cmdline
 * (none: left as it is), and with uefi the properties that Linux's EFI
 * stub defines for the UEFI memory map (Documentation/arm/uefi.rst):
 * linux,uefi-system-table and linux,uefi-mmap-start (u64),
 * linux,uefi-mmap-size, -desc-size, -desc-ver (u32), zero until
 * boot_a64_fdt_fill_uefi writes them in place. value_off: where each
 * value sits in the result (filled by set_chosen). */
#define BOOT_A64_CHOSEN_N 6
#define BOOT_A64_FDT_UEFI_SLACK 256
struct boot_a64_chosen {
        const char *cmdline;
        int uefi;
        size_t value_off[BOOT_A64_CHOSEN_N];
};

size_t boot_a64_fdt_set_chosen(const uint8_t *src, size_t src_len, struct boot_a64_chosen *c,
                               uint8_t *out, size_t cap);

/* boot_a64_fdt_fill_uefi: the linux,uefi-* values into a tree made by
 * boot_a64_fdt_set_chosen with c->uefi; writes nothing else (the final
 * GetMemoryMap's key stays valid). */
void boot_a64_fdt_fill_uefi(uint8_t *tree, const struct boot_a64_chosen *c, uint64_t system_table,
                            uint64_t map, uint32_t map_size, uint32_t desc_size, uint32_t desc_ver);

/* boot_a64_fdt_set_bootargs: boot_a64_fdt_set_chosen with cmdline alone. */
/* boot_a64_fdt_set_bootargs: writes to out (cap bytes, not overlapping
 * src) the tree at src (src_len bytes readable) with /chosen/bootargs =
 * cmdline (NUL-terminated): an existing bootargs is replaced, a missing
 * /chosen made. The result is a version 17 tree, blocks in the usual order
 * (reservations, structure, strings). Returns its size, or 0 when src is
 * not a well-formed tree of version 17 or later within src_len, or out is
 * too small. */
size_t boot_a64_fdt_set_bootargs(const uint8_t *src, size_t src_len, const char *cmdline,
                                 uint8_t *out, size_t cap);

#endif
