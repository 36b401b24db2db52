/* compositor/client/map.h: the channel's memory: the host's backing file,
 * or an ivshmem device's BAR2 through sysfs in a Linux guest. */
#ifndef THATTE_CLIENT_MAP_H
#define THATTE_CLIENT_MAP_H

#include <stddef.h>

#define TDCC_IVSHMEM_VENDOR 0x1af4u
#define TDCC_IVSHMEM_DEVICE 0x1110u

struct tdcc_map {
        void *mem;
        size_t size;
        char name[320];         /* the file or the sysfs resource, for messages */
};

/* tdcc_map_file: map PATH shared, read-write, whole. Returns 0 or -errno. */
int tdcc_map_file(const char *path, struct tdcc_map *m);

/* tdcc_map_pci: map resource2 of ivshmem device bdf, or of the first
 * (by name) when bdf is NULL. -ENODEV: none, or bdf is not ivshmem. */
int tdcc_map_pci(const char *bdf, struct tdcc_map *m);

void tdcc_unmap(struct tdcc_map *m);

#endif
