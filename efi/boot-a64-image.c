/* efi/boot-a64-image.c: arm64 Image header checks (see boot-a64-image.h). */
#include "boot-a64-image.h"
#include "le.h"

#define OFF_TEXT_OFFSET 8
#define OFF_IMAGE_SIZE 16
#define OFF_FLAGS 24
#define OFF_MAGIC 56
#define FLAG_BIG_ENDIAN 1u
#define IMAGE_SIZE_MAX (1ull << 30)

enum boot_a64_image_result boot_a64_image_check(const uint8_t *data, size_t len,
                                                struct boot_a64_image *ret)
{
        struct boot_a64_image img;

        if (len < BOOT_A64_IMAGE_HEADER)
                return BOOT_A64_IMAGE_SHORT;
        if (efi_le32(data + OFF_MAGIC) != BOOT_A64_IMAGE_MAGIC)
                return BOOT_A64_IMAGE_NO_MAGIC;
        img.text_offset = efi_le(data + OFF_TEXT_OFFSET, 8);
        img.image_size = efi_le(data + OFF_IMAGE_SIZE, 8);
        img.flags = efi_le(data + OFF_FLAGS, 8);
        if (img.flags & FLAG_BIG_ENDIAN)
                return BOOT_A64_IMAGE_BIG_ENDIAN;
        if (!img.image_size)
                return BOOT_A64_IMAGE_NO_SIZE;
        if (img.image_size < len || img.image_size > IMAGE_SIZE_MAX)
                return BOOT_A64_IMAGE_SIZE;
        if (img.text_offset >= BOOT_A64_IMAGE_ALIGN || img.text_offset % 4096)
                return BOOT_A64_IMAGE_OFFSET;
        if (ret)
                *ret = img;
        return BOOT_A64_IMAGE_OK;
}

const char *boot_a64_image_strerror(enum boot_a64_image_result r)
{
        switch (r) {
        case BOOT_A64_IMAGE_OK:
                return "valid arm64 Image";
        case BOOT_A64_IMAGE_SHORT:
                return "shorter than an arm64 Image header";
        case BOOT_A64_IMAGE_NO_MAGIC:
                return "not an arm64 Image (no ARM\\x64 magic)";
        case BOOT_A64_IMAGE_BIG_ENDIAN:
                return "a big-endian arm64 Image";
        case BOOT_A64_IMAGE_NO_SIZE:
                return "arm64 Image without image_size (too old a header)";
        case BOOT_A64_IMAGE_SIZE:
                return "arm64 Image size below the file's or above 1 GiB";
        case BOOT_A64_IMAGE_OFFSET:
                return "arm64 Image text_offset not 4 KiB aligned below 2 MiB";
        }
        return "unknown arm64 Image error";
}
