/* efi/fat-bpb.h: the capacity of a FAT file system, read from its boot
 * sector (BIOS parameter block), and the clusters a set of files needs. */
#ifndef THATTE_EFI_FAT_BPB_H
#define THATTE_EFI_FAT_BPB_H

#include <stddef.h>
#include <stdint.h>

#define EFI_FAT_SECTOR_SIZE 512

struct efi_fat_geometry {
        unsigned fat_bits;      /* 12, 16 or 32 */
        uint32_t cluster_bytes;
        uint32_t clusters;      /* data clusters in the file system */
        uint32_t root_entries;  /* fixed root directory slots (0 on FAT32) */
};

/* efi_fat_parse: reads the geometry from the first sector of a FAT volume.
 * Takes at least EFI_FAT_SECTOR_SIZE bytes. Returns 0 and fills ret;
 * -EINVAL when the sector holds no plausible BPB (ret untouched). */
int efi_fat_parse(const uint8_t *sector, size_t len, struct efi_fat_geometry *ret);

/* efi_fat_file_clusters: clusters a file of the given size occupies. */
uint64_t efi_fat_file_clusters(uint64_t size, uint32_t cluster_bytes);

/* efi_fat_dir_entries: 32-byte directory entries one name takes: the
 * short entry plus the long-name entries (13 characters each). */
uint32_t efi_fat_dir_entries(size_t name_len);

#endif
