/* kernel/arch/x86_64/cpio-bundle.h: reading the direct boot's module
 * bundle. QEMU's PVH `-kernel thatte-mk.elf -initrd FILE` hands the kernel
 * ONE module; when FILE is a cpio "newc" archive (what `thatte-mkboot
 * --direct` writes), each member becomes a module of that name (`root`,
 * `driveros-kernel`, ...). Pure: touches only the bytes it is given and
 * what it fills, so tests/kernel/cpio-bundle.c runs it on the host on
 * hostile archives. */
#ifndef THATTE_ARCH_CPIO_BUNDLE_H
#define THATTE_ARCH_CPIO_BUNDLE_H

#include <stdint.h>

#include "thatte/bootinfo.h"

/* Modules a bundle may hold: root, the DriverOS kernel, initramfs and
 * command line, and room for a few more. */
#define CPIO_BUNDLE_MAX 8u
/* The member name the writer gives its padding: skipped, may repeat. */
#define CPIO_BUNDLE_PAD ".pad"

enum cpio_bundle_error {
        CPIO_BUNDLE_OK = 0,
        CPIO_BUNDLE_MAGIC,              /* a header not starting with 070701 */
        CPIO_BUNDLE_TRUNCATED,          /* a header, name or data past the module's end */
        CPIO_BUNDLE_HEX,                /* a header field with a non-hex digit */
        CPIO_BUNDLE_NAME,               /* name size 0 or 1, longer than a module name, no
                                         * NUL at its end or one inside, a byte outside
                                         * [A-Za-z0-9._-] */
        CPIO_BUNDLE_PADDING,            /* non-zero padding bytes */
        CPIO_BUNDLE_TYPE,               /* a member that is not a regular file */
        CPIO_BUNDLE_EMPTY,              /* a member with no data */
        CPIO_BUNDLE_ALIGN,              /* member data not on a page boundary */
        CPIO_BUNDLE_DUPLICATE,          /* two members of one name */
        CPIO_BUNDLE_TOO_MANY,           /* more than the caller's room */
        CPIO_BUNDLE_NO_TRAILER,         /* the archive ends without TRAILER!!! */
        CPIO_BUNDLE_NO_ROOT,            /* no member named root */
};

/* cpio_bundle_is_archive: whether the len bytes at data start like a
 * newc archive (then cpio_bundle_parse decides; an ELF never does). */
int cpio_bundle_is_archive(const void *data, uint64_t len);

/* cpio_bundle_parse: reads the newc archive of len bytes at data, loaded
 * at physical address base (page aligned), into at most max modules at
 * ret (base = base + the member's data offset, which must be page
 * aligned; size; name). Members named CPIO_BUNDLE_PAD are skipped; the
 * walk ends at TRAILER!!!, bytes after it are ignored. Returns
 * CPIO_BUNDLE_OK and the count at ret_count, or the first error (ret's
 * contents then undefined, ret_count untouched). */
enum cpio_bundle_error cpio_bundle_parse(const void *data, uint64_t len, uint64_t base,
                                         struct thatte_module *ret, uint32_t max,
                                         uint32_t *ret_count);

/* cpio_bundle_strerror: a few words for an error, for the boot log. */
const char *cpio_bundle_strerror(enum cpio_bundle_error e);

#endif
