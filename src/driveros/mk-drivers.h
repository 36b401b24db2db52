/* mk-drivers.h: thatte-driveros-make --driver, the step of a build. */
#ifndef THATTE_DRIVEROS_MK_DRIVERS_H
#define THATTE_DRIVEROS_MK_DRIVERS_H

struct mk_build;

/* mk_drivers_fragment: finds each --driver in the kernel source tree and
 * writes the Kconfig fragment that builds them in (with what they depend
 * on) into b->dir; *ret_path its path, b->drivers what was found (for the
 * MANIFEST). Prints what failed; -EINVAL for a driver the tree lacks (the
 * message lists close matches), else -errno. */
int mk_drivers_fragment(struct mk_build *b, char **ret_path);

/* mk_drivers_help: --driver help (CLASS "") or help=CLASS, to stdout.
 * -EINVAL when CLASS holds no driver. */
int mk_drivers_help(const struct mk_build *b, const char *class);

#endif
