/* tests/unit/efi-boot-a64-image.c: boot_a64_image_check on arm64 Image
 * headers crafted here, one field broken at a time, and truncations. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "boot-a64-image.h"
#include "le.h"
#include "tests/tap.h"

#define FILE_LEN 8192

/* A little-endian Image of FILE_LEN bytes: text_offset 0x80000, 64 KiB
 * with its BSS, 4 KiB pages. */
static void craft(uint8_t *img)
{
        memset(img, 0, FILE_LEN);
        efi_put_le(img + 8, 8, 0x80000);
        efi_put_le(img + 16, 8, 0x10000);
        efi_put_le(img + 24, 8, 0x2);
        memcpy(img + 56, "ARM\x64", 4);
}

int main(void)
{
        static uint8_t img[FILE_LEN];
        struct boot_a64_image info = { 0 };

        craft(img);
        is_int(boot_a64_image_check(img, FILE_LEN, &info), BOOT_A64_IMAGE_OK, "crafted Image passes");
        ok(info.text_offset == 0x80000 && info.image_size == 0x10000 && info.flags == 2,
           "text_offset, image_size and flags read");
        is_int(boot_a64_image_check(img, 64, NULL), BOOT_A64_IMAGE_OK, "the header alone passes");
        is_int(boot_a64_image_check(img, 63, NULL), BOOT_A64_IMAGE_SHORT, "63 bytes: short");
        is_int(boot_a64_image_check(img, 0, NULL), BOOT_A64_IMAGE_SHORT, "empty: short");

        img[59] = 0x65;
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_NO_MAGIC, "magic broken");
        craft(img);
        memcpy(img, "\x7f" "ELF", 4);
        memset(img + 56, 0, 4);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_NO_MAGIC, "an ELF refused");

        craft(img);
        efi_put_le(img + 24, 8, 0x3);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_BIG_ENDIAN, "big-endian refused");
        craft(img);
        efi_put_le(img + 16, 8, 0);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_NO_SIZE, "image_size 0 refused");
        craft(img);
        efi_put_le(img + 16, 8, FILE_LEN - 1);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_SIZE,
               "image_size below the file refused");
        efi_put_le(img + 16, 8, FILE_LEN);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_OK, "image_size = the file passes");
        efi_put_le(img + 16, 8, (1ull << 30) + 4096);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_SIZE, "image_size > 1 GiB refused");
        efi_put_le(img + 16, 8, ~0ull);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_SIZE, "image_size ~0 refused");

        craft(img);
        efi_put_le(img + 8, 8, 2u << 20);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_OFFSET, "text_offset 2 MiB refused");
        efi_put_le(img + 8, 8, 0x80010);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_OFFSET,
               "unaligned text_offset refused");
        efi_put_le(img + 8, 8, ~0ull);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_OFFSET, "text_offset ~0 refused");
        efi_put_le(img + 8, 8, 0);
        is_int(boot_a64_image_check(img, FILE_LEN, NULL), BOOT_A64_IMAGE_OK, "text_offset 0 passes");

        ok(strstr(boot_a64_image_strerror(BOOT_A64_IMAGE_NO_MAGIC), "arm64 Image") != NULL,
           "messages name the problem");
        return tap_done();
}
