/* vmm/system.h: a system file (thatte-system.toml(5)): VMs started in
 * order by `thatte-vmm up`, stopped in reverse order by `down`. */
#ifndef VMM_SYSTEM_H
#define VMM_SYSTEM_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "profile.h"
#include "thatte-toml.h"

#define VMM_SYSTEM_MAX_VMS 16
#define VMM_READY_TIMEOUT_DEFAULT 120   /* seconds */

typedef struct vmm_system_vm {
        unsigned line;          /* of its [[vm]] table, for messages */
        char *profile;          /* as written: a path or a profile name */
        char *path;             /* absolute when profile is a path, else NULL */
        char *ready;            /* NULL or a POSIX extended regex */
        regex_t ready_re;       /* compiled when ready is set */
        unsigned timeout;       /* seconds to wait for ready */
        char channels[VMM_MAX_CHANNELS][VMM_CHANNEL_NAME_MAX + 1];
        size_t n_channels;
} vmm_system_vm;

typedef struct vmm_system {
        char *file;             /* absolute path of the system file */
        char *name;             /* its file name without ".toml" */
        vmm_system_vm vms[VMM_SYSTEM_MAX_VMS];
        size_t n_vms;
} vmm_system;

/* vmm_system_load: reads and validates the system file at path (profiles
 * are not loaded yet). Returns 0 and a new system in *ret (free with
 * vmm_system_free); -EINVAL with err filled (line 0 when not on a line);
 * -ENOMEM. */
int vmm_system_load(const char *path, vmm_system **ret, thatte_toml_error *err);

/* vmm_system_free: releases s; accepts NULL. */
void vmm_system_free(vmm_system *s);

#endif
