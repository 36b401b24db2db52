/* mk-system.h: the system-wide DriverOS image (thatte-driveros-make
 * --system): built into MK_SYSTEM_IMAGE and offered to thatte-vmm under the
 * name "driveros" by a link in MK_SYSTEM_PROFILES, a folder thatte-vmm
 * searches for profiles by name. */
#ifndef THATTE_DRIVEROS_MK_SYSTEM_H
#define THATTE_DRIVEROS_MK_SYSTEM_H

/* mk_system_prepare: checks that we are root and creates the folders above
 * the image (mode 0755). Prints why not; returns 0 or -errno. */
int mk_system_prepare(void);

/* mk_system_link: points MK_SYSTEM_PROFILES/driveros.toml at the image's
 * profile (a relative symbolic link, replaced atomically). Prints why not;
 * returns 0 or -errno. */
int mk_system_link(void);

#endif
