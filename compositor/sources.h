/* compositor/sources.h: where display channels come from: ivshmem PCI
 * devices (1af4:1110) whose shared BAR (resource2) is mapped through
 * sysfs, or files named with --channel (a channel's backing file on the
 * host, for tests). Each source stays mapped once found; whether it is a
 * window is decided by its header and heartbeat (session.c). */
#ifndef THATTE_COMP_SOURCES_H
#define THATTE_COMP_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "compositor/channel.h"

#define COMP_SOURCES_MAX 16u
#define COMP_IVSHMEM_VENDOR 0x1af4
#define COMP_IVSHMEM_DEVICE 0x1110

struct comp_source {
        char path[256];
        void *map;
        size_t size;
        struct comp_channel channel;
        bool open;                      /* channel checked and opened */
        bool window;                    /* shown as a window */
        char reason[160];               /* why it is not open, as last reported */
};

struct comp_sources {
        struct comp_source items[COMP_SOURCES_MAX];
        unsigned n;
};

/* comp_sources_add_file: maps path (a channel file, or a sysfs resource
 * file) read-write and shared, unless already there. Returns 0, or -errno
 * with a reason in err. */
int comp_sources_add_file(struct comp_sources *s, const char *path, char *err, size_t errlen);

/* comp_sources_scan_pci: adds the resource2 file of every ivshmem device
 * under root (normally /sys/bus/pci/devices), enabling the device first.
 * Returns the number of new sources; failures are printed once each. */
int comp_sources_scan_pci(struct comp_sources *s, const char *root);

/* comp_sources_free: unmaps everything (channels must be closed). */
void comp_sources_free(struct comp_sources *s);

#endif
