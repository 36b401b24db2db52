/* efi/mkesp-image.c: the image is made in four steps on a temporary file:
 * size it (sparse), mkfs.fat, check the resulting FAT can hold the plan,
 * then mmd each folder and mcopy each file. Every tool runs from an argv
 * array through thatte_spawn_wait, with stdin on /dev/null so mtools never
 * waits for an answer. */
/* pipe2, mkostemp and asprintf are GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic-file.h"
#include "fat-bpb.h"
#include "mkesp-image.h"
#include "spawn.h"

#define PROG "thatte-mkesp"
#define MIB (UINT64_C(1) << 20)

/* Runs argv; prints why it failed. Returns 0, -ENOENT or -EIO. */
static int run(const char *const argv[])
{
        int status, r;

        r = thatte_spawn_wait(argv, THATTE_SPAWN_NULL_STDIN | THATTE_SPAWN_NULL_STDOUT, &status);
        if (r == -ENOENT)
                return r;       /* the caller may try another path */
        if (r < 0) {
                fprintf(stderr, PROG ": cannot run %s: %s\n", argv[0], strerror(-r));
                return r;
        }
        if (status != 0) {
                fprintf(stderr, PROG ": %s failed (exit status %d)\n", argv[0], status);
                return -EIO;
        }
        return 0;
}

static int run_required(const char *const argv[], const char *package)
{
        int r = run(argv);

        if (r == -ENOENT)
                fprintf(stderr, PROG ": cannot run %s: not found (install the Debian package %s)\n",
                        argv[0], package);
        return r;
}

/* mkfs.fat lives in /usr/sbin, which is not in every user's PATH. */
static int make_fat(const char *image)
{
        static const char *const paths[] = { "mkfs.fat", "/usr/sbin/mkfs.fat", "/sbin/mkfs.fat" };
        int r = -ENOENT;

        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && r == -ENOENT; i++) {
                const char *argv[] = { paths[i], "--invariant", "-n", "THATTE-ESP", image, NULL };

                r = run(argv);
        }
        if (r == -ENOENT)
                fprintf(stderr, PROG ": cannot run mkfs.fat: not found (install the Debian package dosfstools)\n");
        return r;
}

static int check_fits(int fd, unsigned size_mib, const struct mkesp_plan *plan)
{
        uint8_t sector[EFI_FAT_SECTOR_SIZE];
        struct efi_fat_geometry g;
        uint64_t need;
        bool root_fits;

        if (pread(fd, sector, sizeof(sector), 0) != (ssize_t)sizeof(sector) ||
            efi_fat_parse(sector, sizeof(sector), &g) < 0) {
                fprintf(stderr, PROG ": mkfs.fat made no readable FAT boot sector\n");
                return -EIO;
        }
        need = mkesp_plan_clusters(plan, &g, &root_fits);
        if (need > g.clusters || !root_fits) {
                fprintf(stderr,
                        PROG ": image too small: %u MiB gives %llu KiB of FAT%u clusters, "
                             "the contents need %llu KiB%s\n",
                        size_mib, (unsigned long long)g.clusters * g.cluster_bytes / 1024, g.fat_bits,
                        (unsigned long long)need * g.cluster_bytes / 1024,
                        root_fits ? "" : " and more root directory entries");
                return -ENOSPC;
        }
        return 0;
}

/* "::/dest" for mtools; a host path that mtools cannot mistake for an
 * option or a drive letter ("./x" for a relative "x"). */
static char *image_path(const char *dest)
{
        char *p;

        return asprintf(&p, "::/%s", dest) < 0 ? NULL : p;
}

static char *host_path(const char *src)
{
        char *p;

        if (src[0] == '/')
                return strdup(src);
        return asprintf(&p, "./%s", src) < 0 ? NULL : p;
}

static int make_dirs(const char *image, const struct mkesp_plan *plan)
{
        int r = 0;

        for (size_t i = 0; i < plan->n_dirs && r == 0; i++) {
                char *dir = image_path(plan->dirs[i]);
                const char *argv[] = { "mmd", "-i", image, dir, NULL };

                r = dir ? run_required(argv, "mtools") : -ENOMEM;
                free(dir);
        }
        return r;
}

static int copy_files(const char *image, const struct mkesp_plan *plan)
{
        int r = 0;

        for (size_t i = 0; i < plan->n_files && r == 0; i++) {
                char *src = host_path(plan->files[i].src), *dest = image_path(plan->files[i].dest);
                const char *argv[] = { "mcopy", "-i", image, src, dest, NULL };

                r = src && dest ? run_required(argv, "mtools") : -ENOMEM;
                free(src);
                free(dest);
        }
        return r;
}

int mkesp_image_write(const char *output, unsigned size_mib, const struct mkesp_plan *plan)
{
        struct thatte_atomic_file *f = NULL;
        int r;

        r = thatte_atomic_file_open(output, 0644, &f);
        if (r < 0) {
                fprintf(stderr, PROG ": cannot create a temporary file next to %s: %s\n", output,
                        strerror(-r));
                return r;
        }
        /* Sparse: only what mkfs.fat and mtools write takes disk space. */
        if (ftruncate(f->fd, (off_t)(size_mib * MIB)) < 0) {
                r = -errno;
                fprintf(stderr, PROG ": cannot size %s: %s\n", f->tmp_path, strerror(-r));
                goto out;
        }
        /* mtools refuses images whose geometry it does not recognise. */
        (void)setenv("MTOOLS_SKIP_CHECK", "1", 1);
        r = make_fat(f->tmp_path);
        if (r == 0)
                r = check_fits(f->fd, size_mib, plan);
        if (r == 0)
                r = make_dirs(f->tmp_path, plan);
        if (r == 0)
                r = copy_files(f->tmp_path, plan);
        if (r == 0) {
                r = thatte_atomic_file_commit(f);
                if (r < 0)
                        fprintf(stderr, PROG ": cannot write %s: %s\n", output, strerror(-r));
        }
out:
        thatte_atomic_file_free(f);
        return r;
}
