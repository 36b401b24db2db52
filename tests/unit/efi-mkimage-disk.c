/* tests/unit/efi-mkimage-disk.c: the disk layout of thatte-mkimage on
 * buffers: GPT headers and entries read back field by field with their
 * CRCs checked (the CRC itself against the IEEE check value), the
 * protective MBR and GRUB's boot.img fields, the core image's block list;
 * boot sectors and core images that are not GRUB's are refused. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "le.h"
#include "mkimage-disk.h"
#include "tests/tap.h"

static uint8_t head[MKIMAGE_HEAD_SECTORS * MKIMAGE_SECTOR];
static uint8_t tail[MKIMAGE_TAIL_SECTORS * MKIMAGE_SECTOR];
static uint8_t boot_img[MKIMAGE_SECTOR];
static uint8_t core[300 * MKIMAGE_SECTOR];

/* A boot sector shaped as GRUB's: a jump first, 0x55 0xaa last. */
static void craft_boot_img(void)
{
        memset(boot_img, 0xcc, sizeof(boot_img));
        boot_img[0] = 0xeb;
        boot_img[1] = 0x63;
        boot_img[0x66] = 0xeb;
        boot_img[0x67] = 0x05;
        boot_img[510] = 0x55;
        boot_img[511] = 0xaa;
}

/* Checks one GPT header and the entries it names; returns 1 when sound. */
static int header_ok(const uint8_t *h, const uint8_t *entries, uint64_t my, uint64_t other,
                     uint64_t entries_lba, const struct mkimage_layout *l)
{
        uint8_t copy[92];

        memcpy(copy, h, 92);
        efi_put_le(copy + 16, 4, 0);
        return memcmp(h, "EFI PART", 8) == 0 && efi_le32(h + 12) == 92 &&
               efi_le32(h + 16) == mkimage_crc32(copy, 92) && efi_le(h + 24, 8) == my &&
               efi_le(h + 32, 8) == other && efi_le(h + 40, 8) == 34 &&
               efi_le(h + 48, 8) == l->disk_sectors - 34 && efi_le(h + 72, 8) == entries_lba &&
               efi_le32(h + 80) == 128 && efi_le32(h + 84) == 128 &&
               efi_le32(h + 88) == mkimage_crc32(entries, 128 * 128) && memcmp(h + 56, l->disk_guid, 16) == 0;
}

static void layout(struct mkimage_layout *l)
{
        uint8_t random[48];

        for (unsigned i = 0; i < sizeof(random); i++)
                random[i] = (uint8_t)(i * 37 + 1);
        is_int(mkimage_layout_plan(0, random, l), -EINVAL, "ESP of 0 MiB refused");
        is_int(mkimage_layout_plan(MKIMAGE_ESP_MAX_MIB + 1, random, l), -EINVAL, "ESP too large refused");
        is_int(mkimage_layout_plan(5, random, l), 0, "layout for a 5 MiB ESP");
        is_int(l->bios_first, 2048, "BIOS boot partition at 1 MiB");
        is_int(l->bios_last, 4095, "... 1 MiB long");
        is_int(l->esp_first, 4096, "ESP at 2 MiB");
        is_int(l->esp_last, 4096 + 5 * 2048 - 1, "ESP 5 MiB long");
        is_int(l->disk_sectors, 8 * 2048, "disk: ESP end plus 1 MiB");
        ok((l->disk_guid[7] & 0xf0) == 0x40 && (l->esp_guid[8] & 0xc0) == 0x80, "GUIDs are version 4");
        ok(memcmp(l->disk_guid, l->bios_guid, 16) && memcmp(l->bios_guid, l->esp_guid, 16), "GUIDs differ");
}

static void tables(const struct mkimage_layout *l)
{
        const uint8_t *e = head + 2 * MKIMAGE_SECTOR, *mbr = head;

        craft_boot_img();
        is_int(mkimage_disk_head(l, boot_img, head), 0, "head written");
        mkimage_disk_tail(l, tail);
        ok(header_ok(head + MKIMAGE_SECTOR, e, 1, l->disk_sectors - 1, 2, l), "primary GPT header sound");
        ok(header_ok(tail + 32 * MKIMAGE_SECTOR, tail, l->disk_sectors - 1, 1, l->disk_sectors - 33, l),
           "backup GPT header sound");
        ok(memcmp(e, tail, 128 * 128) == 0, "backup entries equal the primary ones");
        ok(memcmp(e, "Hah!IdontNeedEFI", 16) == 0, "entry 1: BIOS boot partition type");
        ok(efi_le(e + 32, 8) == 2048 && efi_le(e + 40, 8) == 4095, "entry 1: its range");
        ok(e[128] == 0x28 && e[128 + 3] == 0xc1 && e[128 + 15] == 0x3b, "entry 2: ESP type");
        ok(efi_le(e + 128 + 32, 8) == l->esp_first && efi_le(e + 128 + 40, 8) == l->esp_last,
           "entry 2: its range");
        ok(e[128 + 56] == 'E' && e[128 + 57] == 0, "entry 2: UTF-16 name");
        ok(e[256] == 0, "no entry 3");
        ok(mbr[0x1c2] == 0xee && efi_le32(mbr + 0x1c6) == 1 && efi_le32(mbr + 0x1ca) == l->disk_sectors - 1,
           "protective MBR entry over the disk");
        ok(mbr[510] == 0x55 && mbr[511] == 0xaa, "MBR signature");
        ok(mbr[0] == 0xeb && mbr[0x10] == 0xcc, "boot.img code kept");
        is_int(efi_le(mbr + 0x5c, 8), 2048, "boot.img loads the core from the BIOS boot partition");
        ok(mbr[0x64] == 0xff && mbr[0x66] == 0x90 && mbr[0x67] == 0x90, "BIOS's boot drive, no drive check");
        ok(mbr[0x1b8] == 0 && mbr[0x1be] == 0, "boot.img's bytes end before the disk signature");
}

static void refusals(const struct mkimage_layout *l)
{
        craft_boot_img();
        boot_img[511] = 0;
        is_int(mkimage_disk_head(l, boot_img, head), -EINVAL, "boot sector without 0x55 0xaa refused");
        craft_boot_img();
        boot_img[0] = 0xfa;
        is_int(mkimage_disk_head(l, boot_img, head), -EINVAL, "boot sector without a jump refused");
}

static void core_image(const struct mkimage_layout *l)
{
        memset(core, 0, sizeof(core));
        efi_put_le(core + 0x1f4, 8, 2);
        efi_put_le(core + 0x1fc, 2, 299);
        efi_put_le(core + 0x1fe, 2, 0x820);
        is_int(mkimage_core_patch(core, 300 * 512 - 100, l), 0, "core of 300 sectors patched");
        is_int(efi_le(core + 0x1f4, 8), 2049, "block list starts after its first sector");
        is_int(efi_le(core + 0x1fe, 2), 0x820, "segment kept");
        is_int(mkimage_core_patch(core, 200 * 512, l), -EINVAL, "length the block list does not say refused");
        is_int(mkimage_core_patch(core, 100, l), -EINVAL, "one-sector core refused");
        is_int(mkimage_core_patch(core, 2049 * 512, l), -EFBIG, "core larger than the partition refused");
}

int main(void)
{
        struct mkimage_layout l;

        is_int(mkimage_crc32((const uint8_t *)"123456789", 9), 0xcbf43926, "CRC-32 check value");
        layout(&l);
        tables(&l);
        refusals(&l);
        core_image(&l);
        return tap_done();
}
