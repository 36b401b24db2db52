/* src/libthatte/thatte-dirs.c: private folders and flock-based lock files.
 *
 * A lock is an flock on an open file description, so it stays held exactly
 * as long as some process keeps that description open: a child that
 * inherits the fd (without close-on-exec) keeps the lock after the parent
 * exits, and the kernel drops it when the last holder dies, however it dies. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "thatte-dirs.h"

static int mkdir_parents(char *path)
{
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = 0;
                if (mkdir(path, 0700) < 0 && errno != EEXIST) {
                        *p = '/';
                        return -errno;
                }
                *p = '/';
        }
        return 0;
}

int thatte_mkdir_private(const char *path)
{
        char buf[PATH_MAX];
        struct stat st;
        int r;

        if (strlen(path) >= sizeof(buf))
                return -ENAMETOOLONG;
        strcpy(buf, path);
        r = mkdir_parents(buf);
        if (r < 0)
                return r;
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                return -errno;
        if (lstat(path, &st) < 0)
                return -errno;
        if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
                return -EPERM;
        return 0;
}

int thatte_lock_take(const char *path, int *ret_fd)
{
        struct stat a, b;
        int fd;

        for (;;) {
                fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0)
                        return -errno;
                if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                        int e = errno;

                        close(fd);
                        return e == EWOULDBLOCK ? -EBUSY : -e;
                }
                /* The previous holder may have unlinked the file while we
                 * waited; a lock on an unlinked file protects nothing. */
                if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
                    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
                        *ret_fd = fd;
                        return 0;
                }
                close(fd);
        }
}

int thatte_lock_held(const char *path)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        int r;

        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        r = flock(fd, LOCK_SH | LOCK_NB) < 0 ? (errno == EWOULDBLOCK ? 1 : -errno) : 0;
        close(fd);
        return r;
}
