/* mk-menuconfig.h: thatte-driveros-make --menuconfig (see mk-menuconfig.c). */
#ifndef THATTE_DRIVEROS_MK_MENUCONFIG_H
#define THATTE_DRIVEROS_MK_MENUCONFIG_H

struct mk_build;

/* mk_menuconfig_fragment: the user's kept fragment,
 * $XDG_CONFIG_HOME/thatte/driveros/kernel.config (allocated). */
char *mk_menuconfig_fragment(void);

/* mk_menuconfig: the kernel's menuconfig on the configuration of FRAGMENTS
 * (NULL-terminated, without the user's) and the user's fragment; what was
 * changed replaces the user's fragment. Needs a terminal (-EINVAL
 * otherwise). Prints what failed and returns -errno. */
int mk_menuconfig(const struct mk_build *b, const char *const *fragments);

#endif
