/* efi/mkimage-build.c: the steps of thatte-mkimage.
 *
 * Both outputs start the same way: the packed (and maybe signed) UEFI
 * file, and a GRUB configuration embedded in GRUB's core image that loads
 * thatte-mk.elf by multiboot2 with thatte-root.elf as the module "root".
 *
 * Disk: GPT with a 1 MiB BIOS boot partition holding GRUB's core image
 * (the MBR's code is GRUB's boot.img, pointed at it) and an ESP with
 * /EFI/BOOT/BOOTX64.EFI and /thatte/{thatte-mk,thatte-root}.elf. UEFI
 * firmware starts BOOTX64.EFI; a BIOS starts the MBR, which loads the
 * core image, which reads the ESP's FAT. No loop device, no root.
 *
 * CD: xorriso's El Torito with two boot entries: GRUB's El Torito core
 * image for BIOS and a FAT image holding BOOTX64.EFI for UEFI; the ELF
 * files in the ISO 9660 tree for GRUB. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "mkesp-plan.h"
#include "mkimage-build.h"
#include "mkimage-disk.h"
#include "mkimage-tools.h"

#define PROG "thatte-mkimage"
#define MIB (UINT64_C(1) << 20)
#define CORE_MAX (1u << 20)

/* The temporary files of one run, all next to the output (img is the
 * one renamed into place), and what the FAT file system holds. */
struct work {
        struct thatte_atomic_file *efi, *cfg, *core, *fat, *img;
        struct mkesp_plan plan;
        unsigned esp_mib;
};

/* A temporary file next to output: 0644 for the one renamed into place,
 * 0600 for the parts, which are removed. */
static int temp_file(const char *output, mode_t mode, struct thatte_atomic_file **ret)
{
        int r = thatte_atomic_file_open(output, mode, ret);

        if (r < 0)
                fprintf(stderr, PROG ": cannot create a temporary file next to %s: %s\n", output,
                        strerror(-r));
        return r;
}

static int size_file(const struct thatte_atomic_file *f, uint64_t bytes)
{
        if (ftruncate(f->fd, (off_t)bytes) < 0) {
                int r = -errno;

                fprintf(stderr, PROG ": cannot size %s: %s\n", f->tmp_path, strerror(-r));
                return r;
        }
        return 0;
}

static int write_all(int fd, const void *data, size_t len, off_t at)
{
        const uint8_t *p = data;

        while (len) {
                ssize_t n = pwrite(fd, p, len, at);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                p += n;
                len -= (size_t)n;
                at += n;
        }
        return 0;
}

/* The command line as GRUB words: each space-separated word in single
 * quotes (mkimage.c refused quotes in it), so GRUB passes the words on
 * joined by spaces, as they were. */
static char *grub_words(const char *cmdline)
{
        char *q = malloc(3 * strlen(cmdline) + 1), *p = q;

        if (!q)
                return NULL;
        for (const char *s = cmdline; *s;) {
                if (*s == ' ') {
                        s++;
                        continue;
                }
                if (p != q)
                        *p++ = ' ';
                *p++ = '\'';
                while (*s && *s != ' ')
                        *p++ = *s++;
                *p++ = '\'';
        }
        *p = '\0';
        return q;
}

/* GRUB's embedded configuration: the commands run as the core image
 * starts, with root on the partition (disk) or CD named by the prefix. */
static int write_config(const struct mkimage_spec *s, struct thatte_atomic_file *cfg)
{
        char *words = grub_words(s->boot.cmdline), *text = NULL;
        int n, r;

        n = words ? asprintf(&text,
                             "multiboot2 /thatte/thatte-mk.elf %s\n"
                             "module2 /thatte/thatte-root.elf root\n"
                             "boot\n",
                             words)
                  : -1;
        free(words);
        if (n < 0)
                return -ENOMEM;
        r = write_all(cfg->fd, text, (size_t)n, 0);
        free(text);
        if (r < 0)
                fprintf(stderr, PROG ": cannot write %s: %s\n", cfg->tmp_path, strerror(-r));
        return r;
}

/* The UEFI file, the configuration and GRUB's core image of format. */
static int common_parts(const struct mkimage_spec *s, const char *output, const char *format,
                        const char *prefix, struct work *w)
{
        int r;

        r = temp_file(output, 0600, &w->efi);
        if (r == 0)
                r = temp_file(output, 0600, &w->cfg);
        if (r == 0)
                r = temp_file(output, 0600, &w->core);
        if (r == 0)
                r = mkboot_build(&s->boot, w->efi->tmp_path);
        if (r == 0)
                r = write_config(s, w->cfg);
        if (r == 0)
                r = mkimage_grub_core(s->grub_dir, format, prefix, w->cfg->tmp_path, w->core->tmp_path);
        return r;
}

static int file_size(const char *path, uint64_t *ret)
{
        struct stat st;

        if (stat(path, &st) < 0) {
                int r = -errno;

                fprintf(stderr, PROG ": %s: %s\n", path, strerror(-r));
                return r;
        }
        *ret = (uint64_t)st.st_size;
        return 0;
}

/* What the ESP holds, sizes filled in, and its size in MiB into w.
 * with_elves: the files GRUB loads too. */
static int esp_plan(const struct mkimage_spec *s, struct work *w, int with_elves)
{
        struct mkesp_plan *plan = &w->plan;
        int r;

        r = mkesp_plan_add(plan, w->efi->tmp_path, "EFI/BOOT/BOOTX64.EFI");
        if (r == 0 && with_elves)
                r = mkesp_plan_add(plan, s->boot.kernel, "thatte/thatte-mk.elf");
        if (r == 0 && with_elves)
                r = mkesp_plan_add(plan, s->boot.root, "thatte/thatte-root.elf");
        for (size_t i = 0; r == 0 && i < plan->n_files; i++)
                r = file_size(plan->files[i].src, &plan->files[i].size);
        if (r < 0)
                return r;
        w->esp_mib = s->esp_mib ? s->esp_mib : mkesp_plan_default_mib(plan);
        if (!w->esp_mib || w->esp_mib > MKIMAGE_ESP_MAX_MIB) {
                fprintf(stderr, PROG ": the ESP would be larger than %u MiB\n", MKIMAGE_ESP_MAX_MIB);
                return -EFBIG;
        }
        return 0;
}

static int read_file(const char *path, uint8_t *buf, size_t max, size_t *ret_len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;
        ssize_t n;

        if (fd < 0)
                r = -errno;
        else if ((n = read(fd, buf, max)) < 0)
                r = -errno;
        else if ((size_t)n == max && max > 512)
                r = -EFBIG;
        else
                *ret_len = (size_t)n;
        if (fd >= 0)
                close(fd);
        if (r < 0)
                fprintf(stderr, PROG ": %s: %s\n", path, strerror(-r));
        return r;
}

/* The MBR and primary GPT, GRUB's core image, the backup GPT. */
static int write_boot_areas(const struct mkimage_spec *s, const struct work *w,
                            const struct mkimage_layout *l, int fd)
{
        static uint8_t head[MKIMAGE_HEAD_SECTORS * MKIMAGE_SECTOR], tail[MKIMAGE_TAIL_SECTORS * MKIMAGE_SECTOR];
        uint8_t boot_img[MKIMAGE_SECTOR], *core = malloc(CORE_MAX);
        char *boot_path = NULL;
        size_t boot_len = 0, core_len = 0;
        int r = core && asprintf(&boot_path, "%s/boot.img", s->grub_dir) >= 0 ? 0 : -ENOMEM;

        if (r == 0)
                r = read_file(boot_path, boot_img, sizeof(boot_img), &boot_len);
        if (r == 0 && (boot_len != sizeof(boot_img) || mkimage_disk_head(l, boot_img, head) < 0)) {
                fprintf(stderr, PROG ": %s: not GRUB's 512-byte boot sector\n", boot_path);
                r = -EINVAL;
        }
        if (r == 0)
                r = read_file(w->core->tmp_path, core, CORE_MAX, &core_len);
        if (r == 0 && (r = mkimage_core_patch(core, core_len, l)) < 0)
                fprintf(stderr, PROG ": GRUB's core image (%zu bytes) %s\n", core_len,
                        r == -EFBIG ? "does not fit the BIOS boot partition" : "has no block list");
        mkimage_disk_tail(l, tail);
        if (r == 0)
                r = write_all(fd, head, sizeof(head), 0);
        if (r == 0)
                r = write_all(fd, core, core_len, (off_t)(l->bios_first * MKIMAGE_SECTOR));
        if (r == 0)
                r = write_all(fd, tail, sizeof(tail), (off_t)((l->disk_sectors - MKIMAGE_TAIL_SECTORS) * MKIMAGE_SECTOR));
        free(boot_path);
        free(core);
        return r;
}

static int plan_layout(unsigned esp_mib, struct mkimage_layout *l)
{
        uint8_t random[48];

        if (getrandom(random, sizeof(random), 0) != (ssize_t)sizeof(random)) {
                fprintf(stderr, PROG ": cannot read random bytes for the GUIDs: %s\n", strerror(errno));
                return -EIO;
        }
        return mkimage_layout_plan(esp_mib, random, l);
}

/* Renames the image into place when all went well; frees the run. */
static int finish(struct work *w, int r, const char *output)
{
        if (r == 0) {
                r = thatte_atomic_file_commit(w->img);
                if (r < 0)
                        fprintf(stderr, PROG ": cannot write %s: %s\n", output, strerror(-r));
        }
        thatte_atomic_file_free(w->efi);
        thatte_atomic_file_free(w->cfg);
        thatte_atomic_file_free(w->core);
        thatte_atomic_file_free(w->fat);
        thatte_atomic_file_free(w->img);
        mkesp_plan_free(&w->plan);
        return r;
}

int mkimage_disk(const struct mkimage_spec *s, const char *output)
{
        struct mkimage_layout l;
        struct work w = { 0 };
        int r;

        r = common_parts(s, output, "i386-pc", "(,gpt2)/boot/grub", &w);
        if (r == 0)
                r = esp_plan(s, &w, 1);
        if (r == 0)
                r = plan_layout(w.esp_mib, &l);
        if (r == 0)
                r = temp_file(output, 0644, &w.img);
        /* The file ends with the ESP while mkfs.fat runs (else it warns
         * that the space it was given is not all there is), then grows
         * to take the backup GPT. */
        if (r == 0)
                r = size_file(w.img, (l.esp_last + 1) * MKIMAGE_SECTOR);
        if (r == 0)
                r = mkimage_fat(w.img->tmp_path, l.esp_first, w.esp_mib, &w.plan);
        if (r == 0)
                r = size_file(w.img, l.disk_sectors * MKIMAGE_SECTOR);
        if (r == 0)
                r = write_boot_areas(s, &w, &l, w.img->fd);
        return finish(&w, r, output);
}

int mkimage_cd(const struct mkimage_spec *s, const char *output)
{
        struct work w = { 0 };
        int r;

        r = common_parts(s, output, "i386-pc-eltorito", "/boot/grub", &w);
        if (r == 0)
                r = esp_plan(s, &w, 0);
        if (r == 0)
                r = temp_file(output, 0600, &w.fat);
        if (r == 0)
                r = size_file(w.fat, w.esp_mib * MIB);
        if (r == 0)
                r = mkimage_fat(w.fat->tmp_path, 0, w.esp_mib, &w.plan);
        if (r == 0)
                r = temp_file(output, 0644, &w.img);
        if (r == 0) {
                const struct mkimage_iso_file files[] = {
                        { "thatte/thatte-mk.elf", s->boot.kernel },
                        { "thatte/thatte-root.elf", s->boot.root },
                        { "EFI/BOOT/BOOTX64.EFI", w.efi->tmp_path },
                };

                r = mkimage_iso(w.img->tmp_path, w.core->tmp_path, w.fat->tmp_path, files, 3);
        }
        return finish(&w, r, output);
}
