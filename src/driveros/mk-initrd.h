/* mk-initrd.h: the DriverOS initramfs: thatte-init, the compositor, modules. */
#ifndef THATTE_DRIVEROS_MK_INITRD_H
#define THATTE_DRIVEROS_MK_INITRD_H

#include <stdint.h>

struct mk_initrd_spec {
        const char *init;               /* becomes /init */
        const char *compositor;         /* NULL, or becomes /usr/bin/thatte-compositor */
        const char *busybox;            /* NULL, or becomes /bin/busybox (+ /bin/sh) */
        const char *modroot;            /* the unpacked lib/modules/RELEASE */
        const char *release;
        char *const *modules;           /* relative to modroot, in load order; NULL: none */
        const char *const *add_src;     /* NULL-terminated: more files ... */
        const char *const *add_dest;    /* ... and where they go */
        uint32_t mtime;                 /* SOURCE_DATE_EPOCH */
};

/* mk_initrd_write: writes the newc archive to OUT (a new file). Returns 0 or
 * -errno (-EEXIST when an added file's DEST is taken); OUT is removed on
 * error. */
int mk_initrd_write(const struct mk_initrd_spec *s, const char *out);

#endif
