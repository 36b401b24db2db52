/* src/libthatte/tmp-cleanup.h: remove temporary files when SIGINT, SIGTERM or SIGHUP
 * ends the program, so an interrupted run leaves nothing half-made. */
#ifndef THATTE_TMP_CLEANUP_H
#define THATTE_TMP_CLEANUP_H

/* At most this many temporary paths are watched at once. */
#define THATTE_TMP_CLEANUP_MAX 8

/* thatte_tmp_cleanup_install: installs the signal handlers, once per
 * program. The handler unlinks every registered path and then dies of the
 * same signal. Returns 0 or -errno from sigaction. */
int thatte_tmp_cleanup_install(void);

/* thatte_tmp_cleanup_add: watches path, which must stay valid until removed.
 * Returns 0, or -ENOSPC when THATTE_TMP_CLEANUP_MAX paths are watched. */
int thatte_tmp_cleanup_add(const char *path);

/* thatte_tmp_cleanup_remove: stops watching path (same pointer as added).
 * Accepts NULL and paths never added. */
void thatte_tmp_cleanup_remove(const char *path);

#endif
