/* efi/mkboot-guest.h: DriverOS's guest images for a thatte-mk boot: the
 * Linux bzImage, its initramfs and its command line, which thatte-mkboot
 * adds to the packed UEFI file or the direct boot's bundle. The kernel
 * hands them to the root task as the modules named below. */
#ifndef THATTE_EFI_MKBOOT_GUEST_H
#define THATTE_EFI_MKBOOT_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "boot-pe.h"             /* the module names: BOOT_MODULE_GUEST_* */

/* Linux's x86 COMMAND_LINE_SIZE is 2048, NUL included. */
#define MKBOOT_GUEST_CMDLINE_MAX 2047

struct mkboot_guest {
        uint8_t *kernel, *initrd;       /* NULL: not given */
        size_t kernel_len, initrd_len;
        const char *cmdline;            /* NULL: not given; module bytes are the text and its NUL */
};

/* mkboot_bzimage_check: why the len bytes are not an x86-64 Linux bzImage
 * a VMM can boot by the 64-bit boot protocol (boot sector signature
 * 0xAA55, "HdrS", protocol 2.12 or later, a 64-bit entry, setup and
 * protected-mode code inside the file), or NULL when they are. Pure. */
const char *mkboot_bzimage_check(const uint8_t *data, size_t len);

/* mkboot_guest_load: reads and checks the guest files (kernel: a bzImage;
 * initrd: any non-empty file) and takes cmdline; each NULL path is left
 * out. Prints "PROGRAM: PATH: ..." for what is refused. Returns 0 or
 * -errno (-ENOEXEC for a refused file); nothing to free on error. */
int mkboot_guest_load(const char *kernel, const char *initrd, const char *cmdline,
                      struct mkboot_guest *ret);

/* mkboot_guest_free: frees what mkboot_guest_load read. */
void mkboot_guest_free(struct mkboot_guest *g);

#endif
