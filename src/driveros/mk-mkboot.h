/* mk-mkboot.h: what a thatte-mk boot of DriverOS needs, made from the image
 * (thatte-driveros-make --system): thatte-mkboot packs the image's bzImage,
 * initramfs and command line with the installed kernel and root task. */
#ifndef THATTE_DRIVEROS_MK_MKBOOT_H
#define THATTE_DRIVEROS_MK_MKBOOT_H

#include "driveros/mk-build.h"

/* The files, in the image folder; data/vms/thatte-mk-driveros*.toml name them. */
#define MK_MKBOOT_EFI "thatte-mk-driveros.efi"
#define MK_MKBOOT_ESP "thatte-mk-driveros-esp.img"
#define MK_MKBOOT_BUNDLE "thatte-mk-driveros.cpio"

/* mk_mkboot_build: writes MK_MKBOOT_EFI (the packed UEFI file with the
 * guest sections), its ESP image MK_MKBOOT_ESP (thatte-mkesp) and the
 * direct boot's bundle MK_MKBOOT_BUNDLE into b->dir, by the installed
 * thatte-mkboot and thatte-mkesp. Sets b->mkboot_done when it did. An
 * image this boot cannot carry (disk mode, arm64) and a missing
 * thatte-mkboot (package thatte-efi) are said and skipped: returns 0.
 * Otherwise 0 or -errno (said). */
int mk_mkboot_build(struct mk_build *b);

#endif
