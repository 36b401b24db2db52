/* mk-iso.h: --iso, a bootable CD image of the DriverOS image folder. */
#ifndef THATTE_DRIVEROS_MK_ISO_H
#define THATTE_DRIVEROS_MK_ISO_H

#include "driveros/mk-build.h"

/* mk_iso_build: writes driveros.iso into the image folder from what the
 * build made there: for BIOS, GRUB's El Torito core image (grub-mkimage,
 * with `linux` and `initrd` of vmlinuz, or the THATTE kernel's bzImage,
 * and initrd.img on the profile's command line, console on the first
 * serial port); for UEFI, the --uki ESP (esp.img) as the El Torito EFI
 * image. Needs --uki's files. Prints what failed; returns 0 or -errno. */
int mk_iso_build(struct mk_build *b);

#endif
