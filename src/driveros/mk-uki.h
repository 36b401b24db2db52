/* mk-uki.h: a Unified Kernel Image and an ESP holding it. */
#ifndef THATTE_DRIVEROS_MK_UKI_H
#define THATTE_DRIVEROS_MK_UKI_H

struct mk_build;

/* mk_uki_build: from the image folder's vmlinuz and initrd.img, writes
 * driveros.efi (systemd-boot's EFI stub from the systemd-boot-efi package,
 * fetched into the cache, with .osrel, .cmdline, .linux and .initrd
 * sections added by objcopy) and esp.img (by thatte-mkesp, the UKI as
 * EFI/BOOT/BOOTX64.EFI). Prints what failed; returns 0 or -errno. */
int mk_uki_build(struct mk_build *b);

#endif
