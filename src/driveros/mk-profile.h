/* mk-profile.h: driveros.toml, the thatte-vmm profile of an image folder
 * (format: thatte-vm.toml(5)). */
#ifndef THATTE_DRIVEROS_MK_PROFILE_H
#define THATTE_DRIVEROS_MK_PROFILE_H

#include <stdbool.h>
#include <stdio.h>

struct mk_profile_spec {
        bool disk;              /* rootfs.ext4 as a snapshot disk, root=/dev/vda */
        bool uki;               /* boot esp.img under OVMF instead of the kernel directly */
        const char *append;     /* extra kernel arguments, or NULL */
        bool aarch64;           /* arch = "aarch64" (QEMU virt), console ttyAMA0 */
};

/* mk_profile_cmdline: the kernel command line for SPEC (newly allocated),
 * or NULL when out of memory. */
char *mk_profile_cmdline(const struct mk_profile_spec *spec);

/* mk_profile_write: writes the profile to OUT. Returns 0, -EINVAL when
 * APPEND holds a '"', '\\' or a control character (it goes into a TOML
 * string and the kernel command line), -errno on a write error. */
int mk_profile_write(FILE *out, const struct mk_profile_spec *spec);

#endif
