/* tests/unit/efi-mkesp-plan.c: image paths, conflicts, the folder list,
 * BPB parsing and the space a plan needs. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "fat-bpb.h"
#include "mkesp-plan.h"
#include "tests/tap.h"

static void test_paths(void)
{
        struct mkesp_plan p = { 0 };

        is_int(mkesp_plan_add(&p, "app.efi", "EFI/BOOT/BOOTX64.EFI"), 0, "boot path accepted");
        is_int(p.n_dirs, 2, "two folders needed");
        ok(p.n_dirs == 2 && strcmp(p.dirs[0], "EFI") == 0 && strcmp(p.dirs[1], "EFI/BOOT") == 0,
           "parents come before children");
        is_int(mkesp_plan_add(&p, "x", "/efi/boot/bootx64.efi"), -EEXIST,
               "same path in other case is a duplicate");
        is_int(mkesp_plan_add(&p, "x", "/EFI/BOOT"), -EEXIST, "a file cannot replace a folder");
        is_int(mkesp_plan_add(&p, "x", "EFI/BOOT/BOOTX64.EFI/x"), -EEXIST,
               "a file cannot be used as a folder");
        is_int(mkesp_plan_add(&p, "dir/startup.nsh", "/"), 0, "'/' keeps the source name");
        ok(strcmp(p.files[p.n_files - 1].dest, "startup.nsh") == 0, "dest is startup.nsh");
        is_int(mkesp_plan_add(&p, "k", "/boot/kernel/"), 0, "folder dest keeps the name 'k'");
        ok(strcmp(p.files[p.n_files - 1].dest, "boot/kernel/k") == 0, "dest is boot/kernel/k");
        is_int(p.n_dirs, 4, "boot and boot/kernel added");
        is_int(mkesp_plan_add(&p, "x", ""), -EINVAL, "empty dest");
        is_int(mkesp_plan_add(&p, "x", "a//b"), -EINVAL, "empty component");
        is_int(mkesp_plan_add(&p, "x", "a/../b"), -EINVAL, "'..' component");
        is_int(mkesp_plan_add(&p, "x", "a/./b"), -EINVAL, "'.' component");
        is_int(mkesp_plan_add(&p, "x", "a:b"), -EINVAL, "':' not allowed in FAT names");
        is_int(mkesp_plan_add(&p, "x", "a\tb"), -EINVAL, "control character refused");
        is_int(p.n_files, 3, "refused paths were not added");
        mkesp_plan_free(&p);
        mkesp_plan_free(NULL);
}

static void make_bpb(uint8_t *s, uint16_t bps, uint8_t spc, uint16_t reserved, uint8_t fats,
                     uint16_t root, uint32_t total, uint32_t fat_size)
{
        memset(s, 0, EFI_FAT_SECTOR_SIZE);
        s[11] = (uint8_t)bps, s[12] = (uint8_t)(bps >> 8);
        s[13] = spc;
        s[14] = (uint8_t)reserved, s[15] = (uint8_t)(reserved >> 8);
        s[16] = fats;
        s[17] = (uint8_t)root, s[18] = (uint8_t)(root >> 8);
        for (int i = 0; i < 4; i++) {
                s[32 + i] = (uint8_t)(total >> (8 * i));
                s[36 + i] = (uint8_t)(fat_size >> (8 * i));
        }
        s[510] = 0x55, s[511] = 0xaa;
}

static void test_bpb(void)
{
        uint8_t s[EFI_FAT_SECTOR_SIZE];
        struct efi_fat_geometry g = { 0 };

        /* 4 MiB FAT12: 8192 sectors, 4 per cluster, 1 reserved, 2 FATs of 6, 512 root slots. */
        make_bpb(s, 512, 4, 1, 2, 512, 8192, 6);
        is_int(efi_fat_parse(s, sizeof(s), &g), 0, "FAT12 BPB parses");
        is_int(g.cluster_bytes, 2048, "cluster is 2 KiB");
        is_int(g.clusters, (8192 - 1 - 12 - 32) / 4, "data clusters counted");
        is_int(g.fat_bits, 12, "few clusters mean FAT12");
        is_int(g.root_entries, 512, "root slots read");

        make_bpb(s, 512, 1, 32, 2, 0, 600000, 4600);
        is_int(efi_fat_parse(s, sizeof(s), &g), 0, "FAT32 BPB parses");
        is_int(g.fat_bits, 32, "many clusters mean FAT32");

        s[511] = 0;
        is_int(efi_fat_parse(s, sizeof(s), &g), -EINVAL, "no 0x55aa signature");
        make_bpb(s, 500, 4, 1, 2, 512, 8192, 6);
        is_int(efi_fat_parse(s, sizeof(s), &g), -EINVAL, "odd sector size refused");
        make_bpb(s, 512, 4, 1, 2, 512, 10, 6);
        is_int(efi_fat_parse(s, sizeof(s), &g), -EINVAL, "metadata larger than the volume refused");
        is_int(efi_fat_parse(s, 100, &g), -EINVAL, "short buffer refused");
        is_int(efi_fat_dir_entries(11), 2, "short name: 1 + 1 long-name entry");
        is_int(efi_fat_dir_entries(27), 4, "27 characters: 1 + 3 long-name entries");
        is_int(efi_fat_file_clusters(0, 2048), 0, "empty file takes no cluster");
        is_int(efi_fat_file_clusters(2049, 2048), 2, "2049 bytes take 2 clusters of 2 KiB");
}

static void test_sizing(void)
{
        struct efi_fat_geometry fat12 = { 12, 2048, 2000, 512 }, fat32 = { 32, 512, 70000, 0 };
        struct mkesp_plan p = { 0 };
        bool root_fits;

        (void)mkesp_plan_add(&p, "a.efi", "EFI/BOOT/BOOTX64.EFI");
        p.files[0].size = 5000;
        /* 3 clusters of data + 1 each for EFI and EFI/BOOT. */
        is_int(mkesp_plan_clusters(&p, &fat12, &root_fits), 5, "FAT12: file and folders");
        ok(root_fits, "root entry fits");
        /* 10 clusters of 512 + 1 per folder + 1 for the FAT32 root. */
        is_int(mkesp_plan_clusters(&p, &fat32, &root_fits), 13, "FAT32: root counted too");

        is_int(mkesp_plan_default_mib(&p), MKESP_MIN_DEFAULT_MIB, "small contents: minimum size");
        p.files[0].size = 10u << 20;
        is_int(mkesp_plan_default_mib(&p), 14, "10 MiB file: 10 * 5/4 rounded up + 1 MiB");
        p.files[0].size = (uint64_t)MKESP_MAX_MIB << 20;
        is_int(mkesp_plan_default_mib(&p), 0, "too large for any image");

        fat12.root_entries = 1;
        (void)mkesp_plan_clusters(&p, &fat12, &root_fits);
        ok(!root_fits, "root with 1 slot cannot hold the label and EFI");
        mkesp_plan_free(&p);
}

int main(void)
{
        test_paths();
        test_bpb();
        test_sizing();
        return tap_done();
}
