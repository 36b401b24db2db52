/* efi/mkimage-disk.c: protective MBR, GPT and GRUB's two boot-sector
 * fields, byte by byte (UEFI specification, "GUID Partition Table Disk
 * Layout"; GRUB's i386-pc boot.img and diskboot.img field offsets). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "le.h"
#include "mkimage-disk.h"

#define GPT_ENTRIES 128u
#define GPT_ENTRY_SIZE 128u
#define GPT_HEADER_SIZE 92u
#define GPT_ENTRY_SECTORS (GPT_ENTRIES * GPT_ENTRY_SIZE / MKIMAGE_SECTOR)

/* boot.img: the LBA of the core image's first sector, the boot drive
 * (0xff: the one the BIOS passes in dl), the jump over the workaround for
 * BIOSes passing a wrong drive (NOPs on a hard disk, as grub-install
 * writes them); code ends where the MBR's disk signature starts. */
#define BOOT_KERNEL_SECTOR 0x5c
#define BOOT_DRIVE 0x64
#define BOOT_DRIVE_CHECK 0x66
#define BOOT_CODE_END 0x1b8
/* diskboot.img's block list: start LBA, sectors, segment, at its end. */
#define CORE_LIST_START 0x1f4
#define CORE_LIST_LEN 0x1fc

/* "Hah!IdontNeedEFI" and C12A7328-F81F-11D2-BA4B-00A0C93EC93B, as stored. */
static const uint8_t bios_boot_type[16] = { 0x48, 0x61, 0x68, 0x21, 0x49, 0x64, 0x6f, 0x6e,
                                            0x74, 0x4e, 0x65, 0x65, 0x64, 0x45, 0x46, 0x49 };
static const uint8_t esp_type[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
                                      0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };

uint32_t mkimage_crc32(const uint8_t *p, size_t n)
{
        uint32_t c = 0xffffffffu;

        while (n--) {
                c ^= *p++;
                for (int k = 0; k < 8; k++)
                        c = c >> 1 ^ (0xedb88320u & -(c & 1));
        }
        return ~c;
}

static void make_guid(uint8_t g[16], const uint8_t *random)
{
        memcpy(g, random, 16);
        g[7] = (uint8_t)((g[7] & 0x0f) | 0x40);         /* version 4 (stored little-endian) */
        g[8] = (uint8_t)((g[8] & 0x3f) | 0x80);         /* RFC 4122 variant */
}

int mkimage_layout_plan(unsigned esp_mib, const uint8_t random[48], struct mkimage_layout *ret)
{
        struct mkimage_layout l;

        if (esp_mib == 0 || esp_mib > MKIMAGE_ESP_MAX_MIB)
                return -EINVAL;
        l.bios_first = MKIMAGE_BIOS_FIRST;
        l.bios_last = MKIMAGE_ESP_FIRST - 1;
        l.esp_first = MKIMAGE_ESP_FIRST;
        l.esp_last = l.esp_first + (uint64_t)esp_mib * MKIMAGE_MIB_SECTORS - 1;
        l.disk_sectors = l.esp_last + 1 + MKIMAGE_MIB_SECTORS;
        make_guid(l.disk_guid, random);
        make_guid(l.bios_guid, random + 16);
        make_guid(l.esp_guid, random + 32);
        *ret = l;
        return 0;
}

static void put_name(uint8_t *p, const char *name)
{
        for (size_t i = 0; name[i] && i < 36; i++)
                efi_put_le(p + 2 * i, 2, (uint8_t)name[i]);
}

static void put_entry(uint8_t *e, const uint8_t type[16], const uint8_t guid[16], uint64_t first,
                      uint64_t last, const char *name)
{
        memcpy(e, type, 16);
        memcpy(e + 16, guid, 16);
        efi_put_le(e + 32, 8, first);
        efi_put_le(e + 40, 8, last);
        put_name(e + 56, name);
}

static void put_entries(const struct mkimage_layout *l, uint8_t *out)
{
        memset(out, 0, GPT_ENTRY_SECTORS * MKIMAGE_SECTOR);
        put_entry(out, bios_boot_type, l->bios_guid, l->bios_first, l->bios_last, "BIOS boot");
        put_entry(out + GPT_ENTRY_SIZE, esp_type, l->esp_guid, l->esp_first, l->esp_last,
                  "EFI system partition");
}

/* One GPT header at sector my_lba, its entries at entries_lba. */
static void put_header(const struct mkimage_layout *l, uint8_t *h, uint64_t my_lba, uint64_t other_lba,
                       uint64_t entries_lba, uint32_t entries_crc)
{
        memset(h, 0, MKIMAGE_SECTOR);
        memcpy(h, "EFI PART", 8);
        efi_put_le(h + 8, 4, 0x00010000);
        efi_put_le(h + 12, 4, GPT_HEADER_SIZE);
        efi_put_le(h + 24, 8, my_lba);
        efi_put_le(h + 32, 8, other_lba);
        efi_put_le(h + 40, 8, MKIMAGE_HEAD_SECTORS);
        efi_put_le(h + 48, 8, l->disk_sectors - MKIMAGE_TAIL_SECTORS - 1);
        memcpy(h + 56, l->disk_guid, 16);
        efi_put_le(h + 72, 8, entries_lba);
        efi_put_le(h + 80, 4, GPT_ENTRIES);
        efi_put_le(h + 84, 4, GPT_ENTRY_SIZE);
        efi_put_le(h + 88, 4, entries_crc);
        efi_put_le(h + 16, 4, mkimage_crc32(h, GPT_HEADER_SIZE));
}

static void put_mbr(const struct mkimage_layout *l, const uint8_t *boot_img, uint8_t *m)
{
        uint64_t size = l->disk_sectors - 1;
        uint8_t *p = m + 0x1be;

        memset(m, 0, MKIMAGE_SECTOR);
        memcpy(m, boot_img, BOOT_CODE_END);
        efi_put_le(m + BOOT_KERNEL_SECTOR, 8, l->bios_first);
        m[BOOT_DRIVE] = 0xff;
        m[BOOT_DRIVE_CHECK] = 0x90;
        m[BOOT_DRIVE_CHECK + 1] = 0x90;
        /* One partition of type 0xEE over the whole disk (CHS unused). */
        p[1] = 0x00, p[2] = 0x02, p[3] = 0x00;
        p[4] = 0xee;
        p[5] = 0xff, p[6] = 0xff, p[7] = 0xff;
        efi_put_le(p + 8, 4, 1);
        efi_put_le(p + 12, 4, size > 0xffffffffu ? 0xffffffffu : size);
        m[510] = 0x55;
        m[511] = 0xaa;
}

int mkimage_disk_head(const struct mkimage_layout *l, const uint8_t boot_img[MKIMAGE_SECTOR],
                      uint8_t out[MKIMAGE_HEAD_SECTORS * MKIMAGE_SECTOR])
{
        uint8_t *entries = out + 2 * MKIMAGE_SECTOR;

        if (boot_img[510] != 0x55 || boot_img[511] != 0xaa || boot_img[0] != 0xeb)
                return -EINVAL;
        put_mbr(l, boot_img, out);
        put_entries(l, entries);
        put_header(l, out + MKIMAGE_SECTOR, 1, l->disk_sectors - 1, 2,
                   mkimage_crc32(entries, GPT_ENTRY_SECTORS * MKIMAGE_SECTOR));
        return 0;
}

void mkimage_disk_tail(const struct mkimage_layout *l, uint8_t out[MKIMAGE_TAIL_SECTORS * MKIMAGE_SECTOR])
{
        uint64_t last = l->disk_sectors - 1;

        put_entries(l, out);
        put_header(l, out + GPT_ENTRY_SECTORS * MKIMAGE_SECTOR, last, 1, last - GPT_ENTRY_SECTORS,
                   mkimage_crc32(out, GPT_ENTRY_SECTORS * MKIMAGE_SECTOR));
}

int mkimage_core_patch(uint8_t *core, size_t len, const struct mkimage_layout *l)
{
        uint64_t sectors = (len + MKIMAGE_SECTOR - 1) / MKIMAGE_SECTOR;

        if (sectors > l->bios_last - l->bios_first + 1)
                return -EFBIG;
        if (sectors < 2 || efi_le(core + CORE_LIST_LEN, 2) != sectors - 1)
                return -EINVAL;
        efi_put_le(core + CORE_LIST_START, 8, l->bios_first + 1);
        return 0;
}
