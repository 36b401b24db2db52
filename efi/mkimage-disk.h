/* efi/mkimage-disk.h: the layout and partition tables of the disk image
 * thatte-mkimage writes: a protective MBR whose code is GRUB's boot.img,
 * a GPT with a BIOS boot partition (GRUB's core image, the legacy-BIOS
 * path) and an EFI system partition, and the backup GPT at the end.
 * Pure functions on buffers: tests/unit/efi-mkimage-disk.c runs them. */
#ifndef THATTE_EFI_MKIMAGE_DISK_H
#define THATTE_EFI_MKIMAGE_DISK_H

#include <stddef.h>
#include <stdint.h>

#define MKIMAGE_SECTOR 512u
/* LBA 0 (MBR), 1 (GPT header) and 2..33 (128 entries of 128 bytes). */
#define MKIMAGE_HEAD_SECTORS 34u
/* The backup: entries, then the header in the disk's last sector. */
#define MKIMAGE_TAIL_SECTORS 33u
#define MKIMAGE_MIB_SECTORS 2048u
/* The BIOS boot partition: 1 MiB at 1 MiB; the ESP from 2 MiB on. */
#define MKIMAGE_BIOS_FIRST MKIMAGE_MIB_SECTORS
#define MKIMAGE_ESP_FIRST (2 * MKIMAGE_MIB_SECTORS)
/* The largest ESP, in MiB (a FAT image that size takes a while anyway). */
#define MKIMAGE_ESP_MAX_MIB 65536u

struct mkimage_layout {
        uint64_t disk_sectors;
        uint64_t bios_first, bios_last; /* inclusive LBAs */
        uint64_t esp_first, esp_last;
        uint8_t disk_guid[16], bios_guid[16], esp_guid[16];
};

/* mkimage_layout_plan: a disk for an ESP of esp_mib MiB, with one spare
 * MiB at the end for the backup GPT. The three GUIDs come from the 48
 * bytes at random (version 4 bits set here). Returns 0; -EINVAL for a size
 * of 0 or above MKIMAGE_ESP_MAX_MIB. */
int mkimage_layout_plan(unsigned esp_mib, const uint8_t random[48], struct mkimage_layout *ret);

/* mkimage_disk_head: the first MKIMAGE_HEAD_SECTORS sectors into out: the
 * protective MBR (code from boot_img, GRUB's 512-byte boot.img, set to
 * load the core image from bios_first with the BIOS's boot drive; its
 * partition table replaced) and the primary GPT. Returns 0; -EINVAL when
 * boot_img is not a boot sector (no 0x55 0xaa, no jump first). */
int mkimage_disk_head(const struct mkimage_layout *l, const uint8_t boot_img[MKIMAGE_SECTOR],
                      uint8_t out[MKIMAGE_HEAD_SECTORS * MKIMAGE_SECTOR]);

/* mkimage_disk_tail: the last MKIMAGE_TAIL_SECTORS sectors: the backup
 * partition entries and the backup GPT header. */
void mkimage_disk_tail(const struct mkimage_layout *l, uint8_t out[MKIMAGE_TAIL_SECTORS * MKIMAGE_SECTOR]);

/* mkimage_core_patch: points the block list of GRUB's core image (its
 * first sector, diskboot.img) at the rest of it in the BIOS boot
 * partition. Returns 0; -EFBIG when len does not fit the partition;
 * -EINVAL when the block list does not hold the length grub-mkimage
 * writes there for len bytes (not an i386-pc core image). */
int mkimage_core_patch(uint8_t *core, size_t len, const struct mkimage_layout *l);

/* mkimage_crc32: the CRC-32 of IEEE 802.3 (as the GPT uses it). */
uint32_t mkimage_crc32(const uint8_t *p, size_t n);

#endif
