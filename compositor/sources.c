/* compositor/sources.c: finding and mapping display channels. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

int comp_sources_add_file(struct comp_sources *s, const char *path, char *err, size_t errlen)
{
        struct comp_source *src;
        struct stat st;
        void *map;
        int fd, r;

        if (known(s, path))
                return 0;
        if (s->n == COMP_SOURCES_MAX || strlen(path) >= sizeof(src->path)) {
                snprintf(err, errlen, "%s: too many channels or too long a path", path);
                return -ENOSPC;
        }
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0) {
                r = -errno;
                snprintf(err, errlen, "opening channel %s failed: %s", path, strerror(-r));
                if (fd >= 0)
                        close(fd);
                return r;
        }
        /* The file's size is the region's: sysfs gives a BAR's resource file
         * the BAR's size. */
        map = st.st_size >= TDC_HEADER_SIZE ? mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
                                                   MAP_SHARED, fd, 0)
                                            : MAP_FAILED;
        r = map == MAP_FAILED ? (st.st_size < TDC_HEADER_SIZE ? -EINVAL : -errno) : 0;
        close(fd);
        if (r < 0) {
                snprintf(err, errlen, "mapping channel %s (%lld bytes) failed: %s", path,
                         (long long)st.st_size, strerror(-r));
                return r;
        }
        src = &s->items[s->n++];
        memset(src, 0, sizeof(*src));
        snprintf(src->path, sizeof(src->path), "%s", path);
        src->map = map;
        src->size = (size_t)st.st_size;
        return 0;
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
                if (comp_sources_add_file(s, path, err, sizeof(err)) < 0) {
                        /* Remember it anyway, so the failure is said once. */
                        fprintf(stderr, "%s: %s\n", PROGRAM, err);
                        if (s->n < COMP_SOURCES_MAX) {
                                memset(&s->items[s->n], 0, sizeof(s->items[s->n]));
                                snprintf(s->items[s->n++].path, sizeof(path), "%s", path);
                        }
                        continue;
                }
                added++;
        }
        closedir(d);
        return added;
}

void comp_sources_free(struct comp_sources *s)
{
        for (unsigned i = 0; i < s->n; i++)
                if (s->items[i].map)
                        munmap(s->items[i].map, s->items[i].size);
        s->n = 0;
}
