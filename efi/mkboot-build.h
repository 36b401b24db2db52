/* efi/mkboot-build.h: packing (and signing) the boot chain into one UEFI
 * file, shared by thatte-mkboot and thatte-mkimage. */
#ifndef THATTE_EFI_MKBOOT_BUILD_H
#define THATTE_EFI_MKBOOT_BUILD_H

#include <stddef.h>
#include <stdint.h>

/* The loader's command line buffer is one page, NUL included. */
#define MKBOOT_CMDLINE_MAX 4095

struct mkboot_spec {
        const char *kernel, *root, *loader;     /* paths of the inputs */
        const char *cmdline;                    /* at most MKBOOT_CMDLINE_MAX bytes */
        const char *key, *cert;                 /* both NULL: unsigned */
        /* DriverOS's guest images (mkboot-guest.h); NULL: left out */
        const char *guest_kernel, *guest_initrd, *guest_cmdline;
};

/* mkboot_build: checks the inputs, packs them and writes the image to
 * output atomically (signed with sbsign when key and cert are given).
 * Prints "PROGRAM: ..." for what failed. Returns 0 or -errno; on error
 * nothing new is at output or next to it. */
int mkboot_build(const struct mkboot_spec *spec, const char *output);

/* mkboot_build_direct: the direct boot's module bundle instead (QEMU
 * -kernel thatte-mk.elf -initrd OUTPUT): a cpio archive (mkboot-cpio.h)
 * of the root task as `root` and the guest images by their module names;
 * kernel, loader and signing are not used. As mkboot_build otherwise. */
int mkboot_build_direct(const struct mkboot_spec *spec, const char *output);

/* mkboot_write_output: len bytes to path atomically (signed when spec
 * names a key); says what failed. Returns 0 or -errno. */
int mkboot_write_output(const struct mkboot_spec *spec, const char *path, const uint8_t *data,
                        size_t len);

#endif
