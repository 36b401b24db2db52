/* compositor/client/map.c: see map.h. */
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

#include "compositor/client/map.h"

#define SYSFS_PCI "/sys/bus/pci/devices"

int tdcc_map_file(const char *path, struct tdcc_map *m)
{
        struct stat st;
        int fd, r = 0;

        snprintf(m->name, sizeof(m->name), "%s", path);
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                r = -errno;
        else if (st.st_size <= 0)
                r = -EINVAL;
        if (r == 0) {
                m->size = (size_t)st.st_size;
                m->mem = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
                if (m->mem == MAP_FAILED)
                        r = -errno;
        }
        close(fd);
        return r;
}

/* A sysfs attribute holding one hexadecimal number. */
static long read_hex(const char *bdf, const char *attr)
{
        char path[300], buf[32];
        FILE *f;
        long v = -1;

        snprintf(path, sizeof(path), SYSFS_PCI "/%s/%s", bdf, attr);
        f = fopen(path, "re");
        if (!f)
                return -1;
        if (fgets(buf, sizeof(buf), f))
                v = strtol(buf, NULL, 16);
        fclose(f);
        return v;
}

static int is_ivshmem(const char *bdf)
{
        return read_hex(bdf, "vendor") == TDCC_IVSHMEM_VENDOR &&
               read_hex(bdf, "device") == TDCC_IVSHMEM_DEVICE;
}

static int first_ivshmem(char *bdf, size_t size)
{
        struct dirent **names;
        int n = scandir(SYSFS_PCI, &names, NULL, alphasort), r = -ENODEV;

        if (n < 0)
                return -errno;
        for (int i = 0; i < n; i++) {
                if (r < 0 && names[i]->d_name[0] != '.' && is_ivshmem(names[i]->d_name)) {
                        snprintf(bdf, size, "%s", names[i]->d_name);
                        r = 0;
                }
                free(names[i]);
        }
        free(names);
        return r;
}

int tdcc_map_pci(const char *bdf, struct tdcc_map *m)
{
        char found[256], path[320];
        int r;

        if (!bdf) {
                r = first_ivshmem(found, sizeof(found));
                if (r < 0)
                        return r;
                bdf = found;
        } else if (strchr(bdf, '/') || !is_ivshmem(bdf)) {
                return -ENODEV;
        }
        snprintf(path, sizeof(path), SYSFS_PCI "/%s/resource2", bdf);
        return tdcc_map_file(path, m);
}

void tdcc_unmap(struct tdcc_map *m)
{
        if (m->mem && m->mem != MAP_FAILED)
                munmap(m->mem, m->size);
        m->mem = NULL;
}
