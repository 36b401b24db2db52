/* mk-apt.h: Debian packages into thatte-driveros-make's cache, rootless:
 * `apt-cache` to resolve, `apt-get download` to fetch, `dpkg-deb -x` to
 * unpack. Nothing is installed on the host. */
#ifndef THATTE_DRIVEROS_MK_APT_H
#define THATTE_DRIVEROS_MK_APT_H

#include <stdbool.h>

struct mk_apt_pkg {
        char *name;             /* the real binary package */
        char *version;
        char *file;             /* the .deb's name in the archive (Filename's base) */
        char *sha256;           /* from the archive index */
};

/* mk_apt_show: looks PKG up with `apt-cache show --no-all-versions`. When
 * PKG is a metapackage with no files of its own whose name starts with
 * "linux-image-", its linux-image-* dependency is looked up instead.
 * Returns 0, -ENOENT (unknown package), -EPROTO (unexpected output) or
 * -errno. Free the result with mk_apt_pkg_done(). */
int mk_apt_show(const char *pkg, bool verbose, struct mk_apt_pkg *ret);

/* mk_apt_pkg_done: accepts a zeroed struct. */
void mk_apt_pkg_done(struct mk_apt_pkg *p);

/* mk_apt_fetch: makes sure CACHE holds P's .deb with the index's SHA-256
 * (downloading it into a temporary folder of CACHE first, so an interrupted
 * download leaves nothing). *ret_reused tells whether it was already there.
 * Returns 0, -EBADMSG (checksum mismatch after download), or -errno / the
 * codes of mk_spawn_run(). */
int mk_apt_fetch(const char *cache, const struct mk_apt_pkg *p, bool verbose,
                 char **ret_deb, bool *ret_reused);

/* mk_apt_unpack: makes sure CACHE holds DEB unpacked (dpkg-deb -x) in a
 * folder named after it; PREPARE, when given, runs on the fresh tree before
 * it is renamed into place (depmod, for a kernel). When another run put the
 * same tree in place meanwhile, that one is kept. Returns 0 or -errno. */
int mk_apt_unpack(const char *cache, const char *deb, bool verbose,
                  int (*prepare)(const char *tree, void *userdata), void *userdata,
                  char **ret_tree);

#endif
