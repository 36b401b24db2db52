/* efi/fat-bpb.c: BIOS parameter block fields (Microsoft FAT specification:
 * offsets 11..39 of sector 0) and the cluster count they imply. */
#include "config.h"

#include <errno.h>

#include "fat-bpb.h"
#include "le.h"

static int is_power_of_two(uint32_t v)
{
        return v && !(v & (v - 1));
}

int efi_fat_parse(const uint8_t *s, size_t len, struct efi_fat_geometry *ret)
{
        uint32_t bps, spc, reserved, fats, root_entries, total, fat_size, root_sectors, meta;

        if (len < EFI_FAT_SECTOR_SIZE || s[510] != 0x55 || s[511] != 0xaa)
                return -EINVAL;
        bps = efi_le(s + 11, 2);
        spc = s[13];
        reserved = efi_le(s + 14, 2);
        fats = s[16];
        root_entries = efi_le(s + 17, 2);
        total = efi_le(s + 19, 2) ? efi_le(s + 19, 2) : efi_le32(s + 32);
        fat_size = efi_le(s + 22, 2) ? efi_le(s + 22, 2) : efi_le32(s + 36);
        if (bps < 512 || bps > 4096 || !is_power_of_two(bps) || !is_power_of_two(spc) || !reserved ||
            !fats || !fat_size)
                return -EINVAL;

        root_sectors = (root_entries * 32 + bps - 1) / bps;
        meta = reserved + fats * fat_size + root_sectors;
        if (meta >= total)
                return -EINVAL;

        ret->cluster_bytes = bps * spc;
        ret->clusters = (total - meta) / spc;
        ret->root_entries = root_entries;
        ret->fat_bits = ret->clusters < 4085 ? 12 : ret->clusters < 65525 ? 16 : 32;
        return 0;
}

uint64_t efi_fat_file_clusters(uint64_t size, uint32_t cluster_bytes)
{
        return (size + cluster_bytes - 1) / cluster_bytes;
}

uint32_t efi_fat_dir_entries(size_t name_len)
{
        return 1 + (uint32_t)((name_len + 12) / 13);
}
