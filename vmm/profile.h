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
#define VMM_MAX_CHANNELS 8
#define VMM_CHANNEL_NAME_MAX 32
#define VMM_CHANNEL_SIZE_DEFAULT 32     /* MiB */
#define VMM_CHANNEL_SIZE_MAX 1024       /* MiB */

typedef enum { VMM_ACCEL_AUTO, VMM_ACCEL_KVM, VMM_ACCEL_TCG } vmm_accel;
typedef enum { VMM_FW_OVMF, VMM_FW_BIOS, VMM_FW_NONE } vmm_firmware;
typedef enum { VMM_FORMAT_RAW, VMM_FORMAT_QCOW2 } vmm_format;
typedef enum { VMM_GPU_STD, VMM_GPU_VIRTIO, VMM_GPU_VIRTIO_VGA, VMM_GPU_NONE, VMM_GPU_RAMFB } vmm_gpu;
typedef enum { VMM_ARCH_X86_64, VMM_ARCH_AARCH64 } vmm_arch;
typedef enum { VMM_NET_NONE, VMM_NET_USER } vmm_net;
/* Where the screen goes (display.h); AUTO is resolved at launch. */
typedef enum { VMM_UI_AUTO, VMM_UI_GTK, VMM_UI_SDL, VMM_UI_VNC, VMM_UI_SPICE, VMM_UI_NONE } vmm_ui;
/* Their names in [display] ui and --display, NULL-terminated. */
extern const char *const vmm_ui_names[];

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

/* A display channel: shared memory behind an ivshmem-plain PCI device,
 * backed by $XDG_RUNTIME_DIR/thatte-vmm/channels/NAME (channel.c). */
typedef struct vmm_channel {
        char name[VMM_CHANNEL_NAME_MAX + 1];    /* letters, digits, '-', '_' */
        unsigned size_mib;                      /* a power of two, 1 to 1024 */
} vmm_channel;

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
        char *cpu;              /* NULL: the arch's default (vmm_arch_cpu) */
        vmm_accel accel;
        vmm_arch arch;

        vmm_firmware firmware;
        char *esp;              /* NULL or absolute path */
        char *kernel;
        char *initrd;
        char *cmdline;

        vmm_disk disks[VMM_MAX_DISKS];
        size_t n_disks;

        vmm_share shares[VMM_MAX_SHARES];
        size_t n_shares;

        vmm_channel channels[VMM_MAX_CHANNELS];
        size_t n_channels;

        vmm_gpu gpu;
        unsigned width;
        unsigned height;
        bool input;             /* [display] input: virtio keyboard and tablet */
        vmm_ui ui;              /* [display] ui */

        vmm_net net;
        vmm_forward forwards[VMM_MAX_FORWARDS];
        size_t n_forwards;

        bool serial;
        bool agent;             /* [agent] enabled: the guest agent's virtio-serial port */
        unsigned stop_timeout;  /* seconds */
} vmm_profile;

/* vmm_profile_load: reads and validates the profile at `path`.
 * Returns 0 and a new profile in *ret (free with vmm_profile_free);
 * -EINVAL with err filled (err->line 0 when the problem is not on a line,
 * e.g. an unreadable file) for anything wrong with the file; -ENOMEM. */
int vmm_profile_load(const char *path, vmm_profile **ret, thatte_toml_error *err);

/* vmm_read_toml_file: reads the regular file at path (at most
 * THATTE_TOML_MAX_SIZE bytes) into a new NUL-terminated *ret; `what`
 * ("profile", "system file") names it in errors. Returns 0, -EINVAL with
 * err filled (line 0), or -ENOMEM. */
int vmm_read_toml_file(const char *path, const char *what, char **ret, size_t *ret_size,
                       thatte_toml_error *err);

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

/* vmm_channel_name_valid: 1 if s is a channel name: 1 to
 * VMM_CHANNEL_NAME_MAX letters, digits, '-' and '_' (a safe file name). */
int vmm_channel_name_valid(const char *s);

/* vmm_profile_add_channel: attaches the channel `name` (valid) of size_mib
 * to p unless p names it already, appending its [[channel]] table to
 * p->source (what start records and save keeps). Returns 0, -E2BIG when p
 * has VMM_MAX_CHANNELS channels, or -ENOMEM. */
int vmm_profile_add_channel(vmm_profile *p, const char *name, unsigned size_mib);

/* vmm_parse_forward: parses "tcp:HOSTPORT:GUESTPORT" (or udp), ports 1 to
 * 65535 in plain decimal. Returns 0 and fills *ret, or -EINVAL. */
int vmm_parse_forward(const char *s, vmm_forward *ret);

#endif
