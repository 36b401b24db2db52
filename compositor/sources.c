/* compositor/sources.c: finding and mapping display channels. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compositor/sources.h"

#define PROGRAM "thatte-compositor"

static bool known(const struct comp_sources *s, const char *path)
{
        for (unsigned i = 0; i < s->n; i++)
                if (strcmp(s->items[i].path, path) == 0)
                        return true;
        return false;
}

int comp_sources_add(struct comp_sources *s, const char *path, char *err, size_t errlen)
{
        struct comp_source *src;

        if (known(s, path))
                return 0;
        if (s->n == COMP_SOURCES_MAX || strlen(path) >= sizeof(src->path)) {
                snprintf(err, errlen, "%s: too many channels or too long a path", path);
                return -ENOSPC;
        }
        src = &s->items[s->n++];
        memset(src, 0, sizeof(*src));
        src->bell = (struct comp_doorbell){ .event = -1, .device = -1, .group = -1, .container = -1 };
        snprintf(src->path, sizeof(src->path), "%s", path);
        return 0;
}

/* A regular file (sysfs resource files are) big enough for a header. */
static int check_file(const struct stat *st, char *err, size_t errlen)
{
        if (!S_ISREG(st->st_mode)) {
                snprintf(err, errlen, "not a regular file");
                return -EINVAL;
        }
        if (st->st_size < TDC_HEADER_SIZE) {
                snprintf(err, errlen, "its %lld bytes cannot hold a channel header",
                         (long long)st->st_size);
                return -EINVAL;
        }
        return 0;
}

#define IVSHMEM_REGS_MIN 16u          /* IntrMask, IntrStatus, IVPosition, Doorbell */
#define IVSHMEM_DOORBELL 12u

/* BAR0 of the function whose resource2 is src->path, quietly nothing
 * when there is none: QEMU's ivshmem-plain has one too (a Doorbell
 * write there reaches no peer), a channel file has no sibling. */
static void map_regs(struct comp_source *src)
{
        char path[sizeof(src->path)];
        size_t n = strlen(src->path);
        struct stat st;
        void *map;
        int fd;

        if (n < 10 || strcmp(src->path + n - 10, "/resource2") != 0)
                return;
        snprintf(path, sizeof(path), "%.*s/resource0", (int)(n - 10), src->path);
        fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
                return;
        map = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= IVSHMEM_REGS_MIN
                      ? mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                      : MAP_FAILED;
        close(fd);
        if (map == MAP_FAILED)
                return;
        src->regs = map;
        src->regs_size = (size_t)st.st_size;
}

/* The doorbell of the function whose BAR0 map_regs mapped, said either way. */
static void open_bell(struct comp_source *src, bool doorbell)
{
        char why[160] = "--no-doorbell";

        if (!src->regs)
                return;
        if (doorbell && comp_doorbell_open(&src->bell, src->path, why, sizeof(why)) == 0)
                fprintf(stderr, "%s: channel %s doorbell msi-x\n", PROGRAM, src->path);
        else
                fprintf(stderr, "%s: channel %s polling (no doorbell: %s)\n", PROGRAM, src->path, why);
}

int comp_source_bell_fd(const struct comp_source *src)
{
        return src->bell.event;
}

volatile uint32_t *comp_source_bell(const struct comp_source *src)
{
        return src->regs ? (volatile uint32_t *)((char *)src->regs + IVSHMEM_DOORBELL) : NULL;
}

int comp_source_map(struct comp_source *src, bool doorbell, char *err, size_t errlen)
{
        struct stat st;
        void *map;
        int fd, r;

        /* O_NONBLOCK: a hostile process may have put a FIFO at the path. */
        fd = open(src->path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0 || fstat(fd, &st) < 0) {
                r = -errno;
                snprintf(err, errlen, "cannot open it: %s", strerror(-r));
                if (fd >= 0)
                        close(fd);
                return r;
        }
        r = check_file(&st, err, errlen);
        /* The file's size is the region's: sysfs gives a BAR's resource file
         * the BAR's size. */
        map = r < 0 ? MAP_FAILED
                    : mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (r == 0 && map == MAP_FAILED) {
                r = -errno;
                snprintf(err, errlen, "mapping its %lld bytes failed: %s", (long long)st.st_size,
                         strerror(-r));
        }
        close(fd);
        if (r < 0)
                return r;
        src->map = map;
        src->size = (size_t)st.st_size;
        src->dev = st.st_dev;
        src->ino = st.st_ino;
        map_regs(src);
        open_bell(src, doorbell);
        return 0;
}

bool comp_source_moved(const struct comp_source *src, char *why, size_t len)
{
        struct stat st;

        if (stat(src->path, &st) < 0) {
                snprintf(why, len, "its file is gone (%s)", strerror(errno));
                return true;
        }
        if (st.st_dev != src->dev || st.st_ino != src->ino) {
                snprintf(why, len, "its file was replaced");
                return true;
        }
        if ((uint64_t)st.st_size != src->size) {
                snprintf(why, len, "its file was resized from %zu to %lld bytes", src->size,
                         (long long)st.st_size);
                return true;
        }
        return false;
}

void comp_source_unmap(struct comp_source *src)
{
        if (src->map)
                munmap(src->map, src->size);
        if (src->regs)
                munmap(src->regs, src->regs_size);
        comp_doorbell_close(&src->bell);
        src->map = src->regs = NULL;
        src->size = src->regs_size = 0;
}

static unsigned long read_hex(const char *dir, const char *name)
{
        char path[512], buf[32] = "";
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "re");
        if (!f)
                return 0;
        if (!fgets(buf, sizeof(buf), f))
                buf[0] = '\0';
        fclose(f);
        return strtoul(buf, NULL, 16);
}

/* Without a driver the BAR is only decoded once the device is enabled. */
static void enable(const char *dir)
{
        char path[512];
        int fd;

        snprintf(path, sizeof(path), "%s/enable", dir);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
                (void)!write(fd, "1", 1);
                close(fd);
        }
}

int comp_sources_scan_pci(struct comp_sources *s, const char *root)
{
        DIR *d = opendir(root);
        struct dirent *e;
        int added = 0;

        if (!d)
                return 0;
        while ((e = readdir(d))) {
                char dir[384], path[512], err[640];

                if (e->d_name[0] == '.')
                        continue;
                snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
                if (read_hex(dir, "vendor") != COMP_IVSHMEM_VENDOR ||
                    read_hex(dir, "device") != COMP_IVSHMEM_DEVICE)
                        continue;
                snprintf(path, sizeof(path), "%s/resource2", dir);
                if (known(s, path))
                        continue;
                enable(dir);
                if (comp_sources_add(s, path, err, sizeof(err)) < 0)
                        fprintf(stderr, "%s: %s\n", PROGRAM, err);
                else
                        added++;
        }
        closedir(d);
        return added;
}

void comp_sources_free(struct comp_sources *s)
{
        for (unsigned i = 0; i < s->n; i++)
                comp_source_unmap(&s->items[i]);
        s->n = 0;
}
