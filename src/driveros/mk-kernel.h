/* mk-kernel.h: Debian's kernel package, cached and unpacked, with modules.dep. */
#ifndef THATTE_DRIVEROS_MK_KERNEL_H
#define THATTE_DRIVEROS_MK_KERNEL_H

#include <stdbool.h>

#include "driveros/mk-apt.h"

struct mk_kernel {
        struct mk_apt_pkg pkg;
        char *deb;              /* the cached .deb */
        char *tree;             /* its unpacked tree in the cache */
        char *release;          /* "6.1.0-56-amd64" */
        char *vmlinuz;          /* TREE/boot/vmlinuz-RELEASE */
        char *modroot;          /* TREE/lib/modules/RELEASE */
        bool reused;            /* the .deb was in the cache already */
};

/* mk_kernel_get: resolves PACKAGE (a metapackage such as linux-image-amd64,
 * or a real linux-image-* package), fetches and unpacks it into CACHE and
 * runs depmod over the unpacked tree once. Returns 0 or -errno (see
 * mk_apt_show, mk_apt_fetch). Free with mk_kernel_done(). */
int mk_kernel_get(const char *cache, const char *package, bool verbose, struct mk_kernel *ret);

/* mk_kernel_done: accepts a zeroed struct. */
void mk_kernel_done(struct mk_kernel *k);

/* mk_kernel_modules: the module files (relative to k->modroot) that NAMES
 * need, in load order. Returns 0, -ENOENT with *ret_missing set when a
 * module is not in this kernel, or -errno. Free each and the list. */
int mk_kernel_modules(const struct mk_kernel *k, const char *const *names, char ***ret,
                      const char **ret_missing);

#endif
