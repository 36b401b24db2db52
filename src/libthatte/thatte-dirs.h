/* src/libthatte/thatte-dirs.h: private folders and lock files. */
#ifndef THATTE_DIRS_H
#define THATTE_DIRS_H

/* thatte_mkdir_private: creates path and any missing parents with mode
 * 0700, then checks that path is a real folder (not a symlink) owned by us
 * with no group or other access. Returns 0, -EPERM when an existing folder
 * fails the check, or another -errno. */
int thatte_mkdir_private(const char *path);

/* thatte_lock_take: opens (creating with mode 0600) the lock file at path
 * and takes an exclusive flock without waiting. Returns 0 and the locked,
 * close-on-exec fd in *ret_fd; -EBUSY when someone else holds it; -errno. */
int thatte_lock_take(const char *path, int *ret_fd);

/* thatte_lock_held: 1 if a process holds the lock file at path, 0 if the
 * file is missing or free, -errno on other failures. Never creates it. */
int thatte_lock_held(const char *path);

#endif
