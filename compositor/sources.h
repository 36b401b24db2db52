/* compositor/sources.h: where display channels come from: ivshmem PCI
 * devices (1af4:1110) whose shared BAR (resource2) is mapped through
 * sysfs, or files named with --channel (a channel's backing file on the
 * host, for tests). A source is mapped while its path names the file it
 * mapped at the size mapped: a file on the host that is removed, replaced
 * or resized is unmapped and mapped afresh (session.c); whether a source
 * is a window is decided by its header and heartbeat. */
#ifndef THATTE_COMP_SOURCES_H
#define THATTE_COMP_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "compositor/channel.h"
#include "compositor/doorbell.h"

#define COMP_SOURCES_MAX 16u
#define COMP_IVSHMEM_VENDOR 0x1af4
#define COMP_IVSHMEM_DEVICE 0x1110

struct comp_source {
        char path[256];
        void *map;                      /* NULL: not mapped (yet, or any more) */
        size_t size;
        dev_t dev;                      /* the file mapped */
        ino_t ino;
        struct comp_channel channel;
        bool open;                      /* channel checked and opened */
        bool window;                    /* shown as a window */
        char reason[160];               /* why it is not open, as last reported */
        void *regs;                     /* an ivshmem function's BAR0 (resource0), or NULL */
        size_t regs_size;
        struct comp_doorbell bell;      /* MSI-X vector 0 through VFIO; event -1: polled */
};

struct comp_sources {
        struct comp_source items[COMP_SOURCES_MAX];
        unsigned n;
};

/* comp_sources_add: adds path (a channel file, or a sysfs resource file),
 * not mapped yet, unless already there. Returns 0, or -ENOSPC with a
 * reason in err. */
int comp_sources_add(struct comp_sources *s, const char *path, char *err, size_t errlen);

/* comp_source_map: maps src->path read-write and shared, all of the file,
 * and notes which file it is. Returns 0, or -errno with a reason in err
 * (src untouched). With doorbell, an ivshmem function's MSI-X vector 0 is
 * taken too where VFIO offers it (comp_source_bell_fd); either way, a
 * function's line says whether it rings or is polled. */
int comp_source_map(struct comp_source *src, bool doorbell, char *err, size_t errlen);

/* comp_source_moved: whether src->path no longer names the file mapped, at
 * the size mapped (removed, replaced by rename, truncated or grown); the
 * reason in why. */
bool comp_source_moved(const struct comp_source *src, char *why, size_t len);

/* comp_source_bell_fd: the eventfd MSI-X vector 0 of src's function
 * signals (opened by comp_source_map, which logs whether there is one),
 * or -1: src is polled. */
int comp_source_bell_fd(const struct comp_source *src);

/* comp_source_bell: the Doorbell register of src's ivshmem function (BAR0
 * + 12, mapped by comp_source_map from the resource0 beside resource2),
 * or NULL (a channel file, or no BAR0 to map). */
volatile uint32_t *comp_source_bell(const struct comp_source *src);

/* comp_source_unmap: unmaps src, if mapped (its channel must be closed). */
void comp_source_unmap(struct comp_source *src);

/* comp_sources_scan_pci: adds the resource2 file of every ivshmem device
 * under root (normally /sys/bus/pci/devices), enabling the device first.
 * Returns the number of new sources; one that does not fit is printed. */
int comp_sources_scan_pci(struct comp_sources *s, const char *root);

/* comp_sources_free: unmaps everything (channels must be closed). */
void comp_sources_free(struct comp_sources *s);

#endif
