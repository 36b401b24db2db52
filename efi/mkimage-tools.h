/* efi/mkimage-tools.h: the programs thatte-mkimage runs, each from an argv
 * array (never a shell): mkfs.fat and mtools for a FAT file system,
 * grub-mkimage for GRUB's core image, xorriso for the ISO. */
#ifndef THATTE_EFI_MKIMAGE_TOOLS_H
#define THATTE_EFI_MKIMAGE_TOOLS_H

#include <stdint.h>

#include "mkesp-plan.h"

/* mkimage_fat: a FAT file system of size_mib MiB at sector offset of the
 * (already sized) file image, holding the plan's folders and files.
 * Returns 0 or -errno (message printed). */
int mkimage_fat(const char *image, uint64_t offset, unsigned size_mib, const struct mkesp_plan *plan);

/* mkimage_grub_core: GRUB's core image for format (i386-pc or
 * i386-pc-eltorito) from the modules in grub_dir, with prefix and the
 * embedded configuration file config, into out. Returns 0 or -errno. */
int mkimage_grub_core(const char *grub_dir, const char *format, const char *prefix, const char *config,
                      const char *out);

/* One file of the ISO: its path there and on the host. */
struct mkimage_iso_file {
        const char *iso_path, *host_path;
};

/* mkimage_iso: an El Torito ISO 9660 image at out: boot catalog entries
 * for BIOS (no emulation, the GRUB image at bios_image) and UEFI (the FAT
 * image at efi_image), plus files. Returns 0 or -errno. */
int mkimage_iso(const char *out, const char *bios_image, const char *efi_image,
                const struct mkimage_iso_file *files, unsigned n_files);

#endif
