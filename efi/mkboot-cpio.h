/* efi/mkboot-cpio.h: the direct boot's module bundle, written. A cpio
 * "newc" archive whose members are the modules thatte-mk's PVH entry
 * hands on by name (kernel/arch/x86_64/cpio-bundle.c reads it). */
#ifndef THATTE_EFI_MKBOOT_CPIO_H
#define THATTE_EFI_MKBOOT_CPIO_H

#include <stddef.h>
#include <stdint.h>

/* The longest member name, NUL excluded (THATTE_MODULE_NAME_MAX - 1). */
#define MKBOOT_CPIO_NAME_MAX 31u

struct mkboot_cpio_member {
        const char *name;               /* [A-Za-z0-9._-]{1,31}, not ".pad" */
        const uint8_t *data;
        size_t len;                     /* 1 .. 2^32 - 1 */
};

/* mkboot_cpio_write: the archive of the n members, in order, each one's
 * data starting on a 4096-byte boundary of the archive (a `.pad` member
 * before it where needed: newc pads only to 4 bytes), every header with
 * mode 0100644, mtime 0, uid and gid 0 (the same inputs give the same
 * bytes), then TRAILER!!!. Returns 0 and a malloc'd buffer, -EINVAL for
 * a bad name, an empty or too large member or a name given twice,
 * -ENOMEM; outputs untouched on error. */
int mkboot_cpio_write(const struct mkboot_cpio_member *m, size_t n, uint8_t **ret_data,
                      size_t *ret_len);

#endif
