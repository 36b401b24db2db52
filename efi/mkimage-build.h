/* efi/mkimage-build.h: thatte-mkimage's two outputs, a hybrid BIOS + UEFI
 * disk image and an El Torito CD image, each written atomically. */
#ifndef THATTE_EFI_MKIMAGE_BUILD_H
#define THATTE_EFI_MKIMAGE_BUILD_H

#include "mkboot-build.h"

struct mkimage_spec {
        struct mkboot_spec boot;        /* the UEFI file (and what GRUB loads) */
        const char *grub_dir;           /* GRUB's i386-pc modules and boot.img */
        unsigned esp_mib;               /* 0: fit the contents */
};

/* mkimage_disk / mkimage_cd: build the image at output (through
 * temporary files next to it, all removed on error or SIGINT/SIGTERM/
 * SIGHUP). Print "thatte-mkimage: ..." for what failed. Return 0 or
 * -errno; nothing new is at output on error. */
int mkimage_disk(const struct mkimage_spec *spec, const char *output);
int mkimage_cd(const struct mkimage_spec *spec, const char *output);

#endif
