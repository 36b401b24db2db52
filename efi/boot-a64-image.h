/* efi/boot-a64-image.h: the arm64 Linux Image header (the kernel's
 * Documentation/arch/arm64/booting.rst), which thatte-mk-aarch64.img
 * carries and the aarch64 loader obeys.
 *
 * Freestanding on purpose: thatte-boot-aa64.efi checks the packed kernel
 * with it, thatte-mkboot refuses a bad one with it, and
 * tests/unit/efi-boot-a64-image.c runs it on crafted headers. */
#ifndef THATTE_EFI_BOOT_A64_IMAGE_H
#define THATTE_EFI_BOOT_A64_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_A64_IMAGE_HEADER 64
#define BOOT_A64_IMAGE_MAGIC 0x644d5241u        /* "ARM\x64" at offset 56 */
#define BOOT_A64_IMAGE_ALIGN (2ull << 20)       /* the base is 2 MiB aligned */

enum boot_a64_image_result {
        BOOT_A64_IMAGE_OK,
        BOOT_A64_IMAGE_SHORT,           /* shorter than the 64-byte header */
        BOOT_A64_IMAGE_NO_MAGIC,        /* no "ARM\x64" magic */
        BOOT_A64_IMAGE_BIG_ENDIAN,      /* flags bit 0: a big-endian kernel */
        BOOT_A64_IMAGE_NO_SIZE,         /* image_size 0 (pre-3.17 header) */
        BOOT_A64_IMAGE_SIZE,            /* image_size below the file, or absurd */
        BOOT_A64_IMAGE_OFFSET,          /* text_offset not below 2 MiB or unaligned */
};

struct boot_a64_image {
        uint64_t text_offset;   /* from the 2 MiB aligned base */
        uint64_t image_size;    /* bytes from the load address, BSS included */
        uint64_t flags;
};

/* boot_a64_image_check: checks the len bytes at data as an arm64 Image
 * that this loader can place (little-endian, image_size set and at least
 * len, at most 1 GiB, text_offset 4 KiB aligned below 2 MiB). Returns
 * BOOT_A64_IMAGE_OK and fills ret (may be NULL), or the first problem. */
enum boot_a64_image_result boot_a64_image_check(const uint8_t *data, size_t len,
                                                struct boot_a64_image *ret);

/* boot_a64_image_strerror: a short English phrase, never NULL. */
const char *boot_a64_image_strerror(enum boot_a64_image_result r);

#endif
