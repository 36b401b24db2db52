/* src/libthatte/atomic-file.c: temporary file + rename, removed on failure or signal. */
/* pipe2, mkostemp and asprintf are GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "tmp-cleanup.h"

/* "DIR/.NAME.XXXXXX" for path "DIR/NAME"; NULL when out of memory. */
static char *tmp_template(const char *path)
{
        char *dir_copy = strdup(path), *base_copy = strdup(path), *t = NULL;

        if (dir_copy && base_copy &&
            asprintf(&t, "%s/.%s.XXXXXX", dirname(dir_copy), basename(base_copy)) < 0)
                t = NULL;
        free(dir_copy);
        free(base_copy);
        return t;
}

static mode_t current_umask(void)
{
        mode_t m = umask(0);

        (void)umask(m);
        return m;
}

int thatte_atomic_file_open(const char *path, mode_t mode, struct thatte_atomic_file **ret)
{
        struct thatte_atomic_file *f;
        int r;

        f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        f->fd = -1;
        f->path = strdup(path);
        f->tmp_path = tmp_template(path);
        if (!f->path || !f->tmp_path) {
                r = -ENOMEM;
                goto fail;
        }
        f->fd = mkostemp(f->tmp_path, O_CLOEXEC);
        if (f->fd < 0) {
                r = -errno;
                free(f->tmp_path);
                f->tmp_path = NULL;
                goto fail;
        }
        r = thatte_tmp_cleanup_add(f->tmp_path);
        if (r < 0)
                goto fail;
        if (fchmod(f->fd, mode & ~current_umask()) < 0) {
                r = -errno;
                goto fail;
        }
        *ret = f;
        return 0;
fail:
        thatte_atomic_file_free(f);
        return r;
}

int thatte_atomic_file_commit(struct thatte_atomic_file *f)
{
        int r;

        if (fsync(f->fd) < 0)
                return -errno;
        r = close(f->fd);
        f->fd = -1;
        if (r < 0)
                return -errno;
        if (rename(f->tmp_path, f->path) < 0)
                return -errno;
        thatte_tmp_cleanup_remove(f->tmp_path);
        free(f->tmp_path);
        f->tmp_path = NULL;
        return 0;
}

void thatte_atomic_file_free(struct thatte_atomic_file *f)
{
        if (!f)
                return;
        if (f->fd >= 0)
                (void)close(f->fd);
        if (f->tmp_path) {
                (void)unlink(f->tmp_path);
                thatte_tmp_cleanup_remove(f->tmp_path);
                free(f->tmp_path);
        }
        free(f->path);
        free(f);
}
