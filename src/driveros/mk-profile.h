/* mk-profile.h: driveros.toml, the thatte-vmm profile of an image folder
 * (format: thatte-vm.toml(5)). */
#ifndef THATTE_DRIVEROS_MK_PROFILE_H
#define THATTE_DRIVEROS_MK_PROFILE_H

#include <stdbool.h>
#include <stdio.h>

struct mk_profile_spec {
        bool disk;              /* rootfs.ext4 behind an overlay, root=/dev/vda */
        bool uki;               /* boot esp.img under OVMF instead of the kernel directly */
        const char *append;     /* extra kernel arguments, or NULL */
        bool aarch64;           /* arch = "aarch64" (QEMU virt), console ttyAMA0 */
        const char *name;       /* the VM's name (mk_profile_name), NULL: "driveros" */
};

#define MK_VM_NAME_MAX 64

/* mk_profile_name_valid: whether s is a thatte-vmm VM name: 1 to 64
 * letters, digits, '.', '_', '-', not starting with '.'. */
bool mk_profile_name_valid(const char *s);

/* mk_profile_name: the VM name for an image written to the folder
 * `output`: its last component, with every character a VM name cannot
 * hold turned into '-' (leading dots dropped, at most 64), or "driveros"
 * when nothing is left. Writes it into buf (MK_VM_NAME_MAX + 1 bytes). */
void mk_profile_name(const char *output, char *buf);

/* mk_profile_cmdline: the kernel command line for SPEC (newly allocated),
 * or NULL when out of memory. */
char *mk_profile_cmdline(const struct mk_profile_spec *spec);

/* mk_profile_write: writes the profile to OUT. Returns 0, -EINVAL when
 * APPEND holds a '"', '\\' or a control character (it goes into a TOML
 * string and the kernel command line), -errno on a write error. */
int mk_profile_write(FILE *out, const struct mk_profile_spec *spec);

#endif
