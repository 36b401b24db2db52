/* efi/mkimage-tools.c: runs mkfs.fat, mmd/mcopy, grub-mkimage and xorriso
 * quietly (run-quiet.c: stdin on /dev/null, their chatter shown only when
 * they fail). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkimage-tools.h"
#include "run-quiet.h"
#include "spawn.h"

#define PROG "thatte-mkimage"
#define MAX_ISO_ARGS 64

static int run(const char *const argv[], const char *package)
{
        return efi_run_quiet(PROG, argv, package);
}

/* mkfs.fat lives in /usr/sbin, which is not in every user's PATH. */
static int make_fs(const char *image, uint64_t offset, unsigned size_mib)
{
        static const char *const sbin[] = { "/usr/sbin/mkfs.fat", "/sbin/mkfs.fat" };
        const char *tool = "mkfs.fat";
        char off[24], kib[24];

        for (size_t i = 0; i < sizeof(sbin) / sizeof(sbin[0]); i++)
                if (access(sbin[i], X_OK) == 0) {
                        tool = sbin[i];
                        break;
                }
        snprintf(off, sizeof(off), "%llu", (unsigned long long)offset);
        snprintf(kib, sizeof(kib), "%llu", (unsigned long long)size_mib * 1024);
        const char *argv[] = { tool, "--invariant", "-n", "THATTE-ESP", "-h", off, "--offset", off,
                               image, kib, NULL };

        return run(argv, "dosfstools");
}

int mkimage_fat(const char *image, uint64_t offset, unsigned size_mib, const struct mkesp_plan *plan)
{
        char *drive = NULL;
        int r;

        r = make_fs(image, offset, size_mib);
        if (r < 0)
                return r;
        /* mtools finds the file system at a byte offset: IMAGE@@BYTES. */
        if (asprintf(&drive, "%s@@%llu", image, (unsigned long long)offset * 512) < 0)
                return -ENOMEM;
        (void)setenv("MTOOLS_SKIP_CHECK", "1", 1);
        for (size_t i = 0; i < plan->n_dirs && r == 0; i++) {
                char *dir = NULL;

                r = asprintf(&dir, "::/%s", plan->dirs[i]) < 0 ? -ENOMEM : 0;
                if (r == 0) {
                        const char *argv[] = { "mmd", "-i", drive, dir, NULL };

                        r = run(argv, "mtools");
                }
                free(dir);
        }
        for (size_t i = 0; i < plan->n_files && r == 0; i++) {
                char *dest = NULL;

                const char *src = plan->files[i].src;
                char *host = NULL;

                /* "./x" for a relative x: never an option or a drive letter to mtools. */
                r = asprintf(&dest, "::/%s", plan->files[i].dest) < 0 ||
                                    asprintf(&host, "%s%s", src[0] == '/' ? "" : "./", src) < 0
                            ? -ENOMEM
                            : 0;
                if (r == 0) {
                        const char *argv[] = { "mcopy", "-i", drive, host, dest, NULL };

                        r = run(argv, "mtools");
                }
                free(host);
                free(dest);
        }
        free(drive);
        return r;
}

int mkimage_grub_core(const char *grub_dir, const char *format, const char *prefix, const char *config,
                      const char *out)
{
        /* Disk or CD access, GPT, FAT or ISO 9660, the multiboot2 loader,
         * the boot command and VBE for the framebuffer: all in the core,
         * so nothing else of GRUB is needed on the medium. */
        const char *fs = strcmp(format, "i386-pc-eltorito") == 0 ? "iso9660" : "fat";
        const char *argv[] = { "grub-mkimage", "-d", grub_dir, "-O", format, "-o", out, "-p", prefix,
                               "-c", config, "biosdisk", "part_gpt", fs, "multiboot2", "boot", "vbe",
                               NULL };

        return run(argv, "grub-common");
}

/* "ISO=HOST" with '\' and '=' escaped as xorriso's graft points want. */
static char *graft(const char *iso_path, const char *host_path)
{
        size_t n = strlen(iso_path) + 2 * strlen(host_path) + 2;
        char *g = malloc(n), *p = g;

        if (!g)
                return NULL;
        p = stpcpy(p, iso_path);
        *p++ = '=';
        for (const char *s = host_path; *s; s++) {
                if (*s == '\\' || *s == '=')
                        *p++ = '\\';
                *p++ = *s;
        }
        *p = '\0';
        return g;
}

int mkimage_iso(const char *out, const char *bios_image, const char *efi_image,
                const struct mkimage_iso_file *files, unsigned n_files)
{
        const char *head[] = { "xorriso", "-as", "mkisofs", "-quiet", "-o", out, "-R", "-J", "-V", "THATTE",
                               "-graft-points", "-b", "boot/eltorito.img", "-no-emul-boot",
                               "-boot-load-size", "4", "-boot-info-table", "-eltorito-alt-boot",
                               "-e", "efi.img", "-no-emul-boot" };
        const size_t n_head = sizeof(head) / sizeof(head[0]);
        const char *argv[MAX_ISO_ARGS];
        char *grafts[MAX_ISO_ARGS] = { 0 };
        size_t n = 0;
        int r = 0;

        if (n_head + 2 + n_files + 1 > MAX_ISO_ARGS)
                return -E2BIG;
        memcpy(argv, head, sizeof(head));
        grafts[n++] = graft("boot/eltorito.img", bios_image);
        grafts[n++] = graft("efi.img", efi_image);
        for (unsigned i = 0; i < n_files; i++)
                grafts[n++] = graft(files[i].iso_path, files[i].host_path);
        for (size_t i = 0; i < n; i++) {
                if (!grafts[i])
                        r = -ENOMEM;
                argv[n_head + i] = grafts[i];
        }
        argv[n_head + n] = NULL;
        if (r == 0)
                r = run(argv, "xorriso");
        for (size_t i = 0; i < n; i++)
                free(grafts[i]);
        return r;
}
