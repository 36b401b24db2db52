/* mk-fs.c: removing trees, copying and writing files. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-fs.h"

char *mk_path(const char *fmt, ...)
{
        va_list ap;
        char *s;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (n < 0) {
                fputs("thatte-driveros-make: out of memory\n", stderr);
                exit(1);
        }
        return s;
}

/* Empties the directory open as DFD (which this closes), staying on DEV. */
static int empty_dir(int dfd, dev_t dev)
{
        DIR *d = fdopendir(dfd);
        struct dirent *de;
        int r = 0;

        if (!d) {
                r = -errno;
                close(dfd);
                return r;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        int sub;
                        if (st.st_dev != dev) {
                                r = r ? r : -EXDEV;
                                continue;
                        }
                        sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0) {
                                int k = empty_dir(sub, dev);
                                r = r ? r : k;
                        }
                }
                if (unlinkat(dirfd(d), de->d_name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0 && !r)
                        r = -errno;
        }
        closedir(d);
        return r;
}

int mk_rmtree(const char *path)
{
        struct stat st;
        int fd, r;

        if (lstat(path, &st) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (!S_ISDIR(st.st_mode))
                return unlink(path) < 0 ? -errno : 0;
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = empty_dir(fd, st.st_dev);
        if (rmdir(path) < 0 && !r)
                r = -errno;
        return r;
}

int mk_mkdir_p(const char *path, mode_t mode)
{
        char *p = strdup(path);
        int r = 0;

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; r == 0; s++) {
                if (*s != '/' && *s != '\0')
                        continue;
                char c = *s;
                *s = '\0';
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        r = -errno;
                *s = c;
                if (!c)
                        break;
        }
        free(p);
        return r;
}

static int write_all(int fd, const void *data, size_t size)
{
        const char *p = data;

        while (size > 0) {
                ssize_t n = write(fd, p, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                size -= (size_t)n;
        }
        return 0;
}

int mk_copy_file(const char *src, const char *dst, mode_t mode)
{
        char buf[1 << 16];
        int in, out, r = 0;
        ssize_t n;

        in = open(src, O_RDONLY | O_CLOEXEC);
        if (in < 0)
                return -errno;
        out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (out < 0) {
                r = -errno;
                close(in);
                return r;
        }
        while (r == 0 && (n = read(in, buf, sizeof buf)) != 0)
                r = n < 0 ? (errno == EINTR ? 0 : -errno) : write_all(out, buf, (size_t)n);
        close(in);
        if (fchmod(out, mode) < 0 && r == 0)
                r = -errno;
        if (close(out) < 0 && r == 0)
                r = -errno;
        if (r < 0)
                (void)unlink(dst);
        return r;
}

int mk_write_file(const char *dst, const void *data, size_t size, mode_t mode)
{
        int fd, r;

        fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0)
                return -errno;
        r = write_all(fd, data, size);
        if (close(fd) < 0 && r == 0)
                r = -errno;
        if (r < 0)
                (void)unlink(dst);
        return r;
}

int mk_read_file(const char *path, char **ret)
{
        FILE *f = fopen(path, "re");
        char *buf = NULL;
        size_t len = 0, cap = 0, n;
        int r = f ? 0 : -errno;

        while (r == 0) {
                if (cap - len < 4096) {
                        char *p = cap < (64u << 20) ? realloc(buf, cap + 65536) : NULL;
                        if (!p) {
                                r = cap < (64u << 20) ? -ENOMEM : -EFBIG;
                                break;
                        }
                        buf = p;
                        cap += 65536;
                }
                n = fread(buf + len, 1, cap - len - 1, f);
                len += n;
                if (n == 0)
                        r = ferror(f) ? -EIO : 1;
        }
        if (f)
                fclose(f);
        if (r < 0) {
                free(buf);
                return r;
        }
        buf[len] = '\0';
        *ret = buf;
        return 0;
}
