/* vmm/paths.h: where thatte-vmm finds profiles and keeps per-VM state. */
#ifndef VMM_PATHS_H
#define VMM_PATHS_H

#include <stddef.h>

/* vmm_runtime_dir: "$XDG_RUNTIME_DIR/thatte-vmm[/name]" ("/run/thatte-vmm"
 * for root without XDG_RUNTIME_DIR) into buf; name may be NULL for the
 * top folder. Returns 0, -ENXIO when there is no runtime folder to use,
 * -ENAMETOOLONG. Creates nothing. */
int vmm_runtime_dir(const char *name, char *buf, size_t size);

/* vmm_state_dir: "$XDG_STATE_HOME/thatte-vmm/name" (default
 * ~/.local/state; "/var/lib/thatte-vmm/name" for root). Same returns. */
int vmm_state_dir(const char *name, char *buf, size_t size);

/* vmm_cache_file: "$XDG_CACHE_HOME/thatte-vmm/file" (default
 * ~/.cache/thatte-vmm/file, /var/cache/thatte-vmm/file for root): what can
 * be found out again, like the KVM probe's answer. Returns 0, -ENXIO when
 * no folder is known, -ENAMETOOLONG. */
int vmm_cache_file(const char *file, char *buf, size_t size);

/* vmm_find_profile: arg is a path when it contains '/' or ends in ".toml";
 * otherwise a VM name looked up as NAME.toml in $XDG_CONFIG_HOME/thatte/vms,
 * /etc/thatte/vms, /var/lib/thatte/vms (system-wide images, e.g. from
 * thatte-driveros-make --system) and the package's data folder. Returns 0 with the path in
 * buf, -ENOENT when no file exists, -EINVAL for an invalid name. */
int vmm_find_profile(const char *arg, char *buf, size_t size);

/* vmm_profile_dirs: the folders vmm_find_profile searches, in order, into
 * dirs (VMM_SEARCH_DIRS of them at most). Returns how many. */
#define VMM_SEARCH_DIRS 5
size_t vmm_profile_dirs(char (*dirs)[4096]);

/* vmm_suggest_profile: 1 with the name of a profile in the folders
 * vmm_find_profile searches that arg is likely a typo of, into buf; else 0. */
int vmm_suggest_profile(const char *arg, char *buf, size_t size);

/* vmm_find_system: like vmm_find_profile for a system file
 * (thatte-system.toml(5)): NAME.toml in $XDG_CONFIG_HOME/thatte/systems,
 * /etc/thatte/systems and the package's data folder (systems/). */
int vmm_find_system(const char *arg, char *buf, size_t size);

/* vmm_find_program: the absolute path of `name` found on $PATH into buf.
 * Returns 0 or -ENOENT. */
int vmm_find_program(const char *name, char *buf, size_t size);

#endif
