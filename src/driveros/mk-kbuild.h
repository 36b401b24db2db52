/* mk-kbuild.h: the THATTE kernel: Linux from Debian's linux-source package,
 * configured as tinyconfig plus Kconfig fragments, built once per source
 * version + configuration + compiler and kept in the cache. */
#ifndef THATTE_DRIVEROS_MK_KBUILD_H
#define THATTE_DRIVEROS_MK_KBUILD_H

#include <stdbool.h>

/* The Debian package holding the kernel source (a .tar.xz in /usr/src). */
#define MK_KBUILD_SOURCE_PACKAGE "linux-source-6.1"

struct mk_build;

struct mk_kbuild {
        char *source;           /* "linux-source-6.1 6.1.192-3" */
        char *key;              /* the cache key: 16 hex digits */
        char *dir;              /* CACHE/kernel/KEY: vmlinux, bzImage, config, release */
        char *vmlinux;          /* the uncompressed ELF, bootable through PVH */
        char *bzimage;          /* the EFI-stub bzImage (for the UKI) */
        char *release;          /* "6.1.192" */
        char *config_sha256;    /* of the final .config, hex */
        bool reused;            /* found in the cache */
};

/* mk_kbuild_get: reads the fragments (the shipped one, then each of
 * FRAGMENTS, NULL-terminated) and reports a bad line as FILE:LINE, then
 * finds the kernel in B's cache or builds it there: fetches and unpacks
 * the source package (once per version), configures (tinyconfig + the
 * fragments, every line checked), builds vmlinux and bzImage, and renames
 * the result into place; an interrupted or failed build leaves nothing.
 * Says its phases with elapsed times (mk_build_say). Prints what failed and
 * returns -errno; free with mk_kbuild_done(). */
int mk_kbuild_get(const struct mk_build *b, const char *const *fragments, struct mk_kbuild *ret);

/* mk_kbuild_source: the source tree of MK_KBUILD_SOURCE_PACKAGE, fetched
 * and unpacked into B's cache once; *ret its path. Prints what failed and
 * returns -errno. */
int mk_kbuild_source(const struct mk_build *b, char **ret);

/* mk_kbuild_configure: in WORK (an empty folder), allnoconfig of the source
 * tree SRC with tinyconfig and the fragments as KCONFIG_ALLCONFIG into
 * WORK/o/.config, then every line of the fragments checked there. Prints
 * what failed and returns -errno (-EINVAL: a line that did not hold). */
int mk_kbuild_configure(const struct mk_build *b, const char *src, const char *work,
                        const char *const *fragments);

/* mk_kbuild_done: accepts a zeroed struct. */
void mk_kbuild_done(struct mk_kbuild *k);

#endif
