/* vmm/profile.h: a VM profile (thatte-vm.toml(5)) as thatte-vmm uses it.
 *
 * vmm_profile_load() reads the TOML file, maps every key onto this struct
 * and validates it: a loaded profile is complete (defaults filled in), its
 * paths are absolute and exist, and its strings hold no control characters,
 * so the argv builder never has to second-guess it. */
#ifndef VMM_PROFILE_H
#define VMM_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "thatte-toml.h"

#define VMM_NAME_MAX 64
#define VMM_MAX_DISKS 8
#define VMM_MAX_FORWARDS 16
#define VMM_MAX_SHARES 8
#define VMM_TAG_MAX 31

typedef enum { VMM_ACCEL_AUTO, VMM_ACCEL_KVM, VMM_ACCEL_TCG } vmm_accel;
typedef enum { VMM_FW_OVMF, VMM_FW_BIOS, VMM_FW_NONE } vmm_firmware;
typedef enum { VMM_FORMAT_RAW, VMM_FORMAT_QCOW2 } vmm_format;
typedef enum { VMM_GPU_STD, VMM_GPU_VIRTIO, VMM_GPU_VIRTIO_VGA, VMM_GPU_NONE } vmm_gpu;
typedef enum { VMM_NET_NONE, VMM_NET_USER } vmm_net;

typedef struct vmm_disk {
        char *path;             /* absolute, exists */
        vmm_format format;
        bool readonly;
        bool snapshot;          /* writes discarded when QEMU exits */
        bool overlay;           /* writes kept in a qcow2 overlay in the state dir */
} vmm_disk;

typedef struct vmm_share {
        char *path;             /* absolute, an existing folder */
        char *tag;              /* the 9p mount tag; the guest's /mnt/TAG */
        bool readonly;          /* default true */
} vmm_share;

typedef struct vmm_forward {
        bool udp;
        unsigned host_port;
        unsigned guest_port;
} vmm_forward;

typedef struct vmm_profile {
        char *file;             /* the profile's own path, as given */
        char *dir;              /* the folder relative paths resolved against */
        char *source;           /* the TOML text it was read from */
        size_t source_len;
        char *name;
        unsigned memory_mib;
        unsigned cpus;
        char *machine;
        vmm_accel accel;

        vmm_firmware firmware;
        char *esp;              /* NULL or absolute path */
        char *kernel;
        char *initrd;
        char *cmdline;

        vmm_disk disks[VMM_MAX_DISKS];
        size_t n_disks;

        vmm_share shares[VMM_MAX_SHARES];
        size_t n_shares;

        vmm_gpu gpu;
        unsigned width;
        unsigned height;

        vmm_net net;
        vmm_forward forwards[VMM_MAX_FORWARDS];
        size_t n_forwards;

        bool serial;
        unsigned stop_timeout;  /* seconds */
} vmm_profile;

/* vmm_profile_load: reads and validates the profile at `path`.
 * Returns 0 and a new profile in *ret (free with vmm_profile_free);
 * -EINVAL with err filled (err->line 0 when the problem is not on a line,
 * e.g. an unreadable file) for anything wrong with the file; -ENOMEM. */
int vmm_profile_load(const char *path, vmm_profile **ret, thatte_toml_error *err);

/* vmm_profile_parse: like vmm_profile_load for the TOML text data (size
 * bytes) of the profile `file`, whose relative paths resolve against dir
 * (thatte-vmm restore reads profiles from state files this way). */
int vmm_profile_parse(const char *data, size_t size, const char *file, const char *dir,
                      vmm_profile **ret, thatte_toml_error *err);

/* vmm_profile_from_toml: like vmm_profile_load for an already parsed tree;
 * `dir` is the folder relative paths resolve against. */
int vmm_profile_from_toml(const thatte_toml_value *root, const char *dir,
                          vmm_profile **ret, thatte_toml_error *err);

/* vmm_profile_free: releases a profile; accepts NULL. */
void vmm_profile_free(vmm_profile *p);

/* vmm_name_valid: 1 if s is a VM name: 1..VMM_NAME_MAX letters, digits and
 * "._-", not starting with '.'. */
int vmm_name_valid(const char *s);

/* vmm_parse_forward: parses "tcp:HOSTPORT:GUESTPORT" (or udp), ports 1 to
 * 65535 in plain decimal. Returns 0 and fills *ret, or -EINVAL. */
int vmm_parse_forward(const char *s, vmm_forward *ret);

#endif
