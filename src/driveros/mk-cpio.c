/* mk-cpio.c: newc cpio archives that come out byte-identical from the same
 * inputs: sorted names, inode numbers by position, owner 0:0, one mtime,
 * no host device numbers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-cpio.h"

struct cpio_entry {
        char *name;
        mode_t mode;            /* type and permissions */
        char *src;              /* file contents come from here, or */
        void *data;             /* from here (symlink target too) */
        size_t size;
        unsigned rmajor, rminor;
};

struct mk_cpio {
        uint32_t mtime;
        struct cpio_entry *e;
        size_t n, cap;
};

int mk_cpio_new(uint32_t mtime, struct mk_cpio **ret)
{
        struct mk_cpio *c = calloc(1, sizeof *c);

        if (!c)
                return -ENOMEM;
        c->mtime = mtime;
        *ret = c;
        return 0;
}

void mk_cpio_free(struct mk_cpio *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n; i++) {
                free(c->e[i].name);
                free(c->e[i].src);
                free(c->e[i].data);
        }
        free(c->e);
        free(c);
}

static struct cpio_entry *find(struct mk_cpio *c, const char *name)
{
        for (size_t i = 0; i < c->n; i++)
                if (!strcmp(c->e[i].name, name))
                        return &c->e[i];
        return NULL;
}

static bool name_valid(const char *name)
{
        const char *p = name;

        for (;;) {
                size_t len = strcspn(p, "/");

                if (len == 0 || (len == 1 && p[0] == '.') ||
                    (len == 2 && p[0] == '.' && p[1] == '.'))
                        return false;   /* empty, "." or ".." component */
                if (!p[len])
                        return true;
                p += len + 1;
        }
}

/* Appends a new entry, taking ownership of nothing; fills *ret. */
static int append(struct mk_cpio *c, const char *name, mode_t mode, struct cpio_entry **ret)
{
        struct cpio_entry *e;

        if (c->n == c->cap) {
                size_t cap = c->cap ? 2 * c->cap : 64;
                struct cpio_entry *ne = realloc(c->e, cap * sizeof *ne);
                if (!ne)
                        return -ENOMEM;
                c->e = ne;
                c->cap = cap;
        }
        e = &c->e[c->n];
        *e = (struct cpio_entry){ .name = strdup(name), .mode = mode };
        if (!e->name)
                return -ENOMEM;
        c->n++;
        *ret = e;
        return 0;
}

static int add_parents(struct mk_cpio *c, const char *name)
{
        char *dir = strdup(name), *slash;
        int r = 0;

        if (!dir)
                return -ENOMEM;
        for (slash = strchr(dir, '/'); slash && r == 0; slash = strchr(slash + 1, '/')) {
                struct cpio_entry *e;

                *slash = '\0';
                if (!find(c, dir))
                        r = append(c, dir, S_IFDIR | 0755, &e);
                *slash = '/';
        }
        free(dir);
        return r;
}

/* Checks NAME, adds its parents and a bare entry of MODE. */
static int add_entry(struct mk_cpio *c, const char *name, mode_t mode, struct cpio_entry **ret)
{
        struct cpio_entry *e;
        int r;

        while (*name == '/')
                name++;
        if (!name_valid(name))
                return -EINVAL;
        e = find(c, name);
        if (e) {
                /* A parent made implicitly may be given its own mode later. */
                if (S_ISDIR(mode) && S_ISDIR(e->mode)) {
                        e->mode = mode;
                        *ret = NULL;
                        return 0;
                }
                return -EEXIST;
        }
        r = add_parents(c, name);
        if (r < 0)
                return r;
        return append(c, name, mode, ret);
}

int mk_cpio_add_dir(struct mk_cpio *c, const char *name, mode_t perm)
{
        struct cpio_entry *e;

        return add_entry(c, name, S_IFDIR | (perm & 07777), &e);
}

int mk_cpio_add_file(struct mk_cpio *c, const char *name, mode_t perm, const char *src)
{
        struct cpio_entry *e;
        char *s = strdup(src);
        int r;

        if (!s)
                return -ENOMEM;
        r = add_entry(c, name, S_IFREG | (perm & 07777), &e);
        if (r < 0) {
                free(s);
                return r;
        }
        e->src = s;
        return 0;
}

static int add_bytes(struct mk_cpio *c, const char *name, mode_t mode, const void *data, size_t size)
{
        struct cpio_entry *e;
        void *copy = malloc(size ? size : 1);
        int r;

        if (!copy)
                return -ENOMEM;
        memcpy(copy, data, size);
        r = add_entry(c, name, mode, &e);
        if (r < 0) {
                free(copy);
                return r;
        }
        e->data = copy;
        e->size = size;
        return 0;
}

int mk_cpio_add_data(struct mk_cpio *c, const char *name, mode_t perm, const void *data, size_t size)
{
        return add_bytes(c, name, S_IFREG | (perm & 07777), data, size);
}

int mk_cpio_add_symlink(struct mk_cpio *c, const char *name, const char *target)
{
        if (!*target)
                return -EINVAL;
        return add_bytes(c, name, S_IFLNK | 0777, target, strlen(target));
}

int mk_cpio_add_node(struct mk_cpio *c, const char *name, mode_t type, mode_t perm,
                     unsigned major, unsigned minor)
{
        struct cpio_entry *e;
        int r;

        if (type != S_IFCHR && type != S_IFBLK)
                return -EINVAL;
        r = add_entry(c, name, type | (perm & 07777), &e);
        if (r < 0)
                return r;
        e->rmajor = major;
        e->rminor = minor;
        return 0;
}

static int by_name(const void *a, const void *b)
{
        return strcmp(((const struct cpio_entry *)a)->name, ((const struct cpio_entry *)b)->name);
}

static int pad4(FILE *out, size_t len)
{
        static const char zero[4];
        size_t n = (4 - len % 4) % 4;

        return fwrite(zero, 1, n, out) == n ? 0 : -EIO;
}

static int write_header(FILE *out, uint32_t ino, uint32_t mode, uint32_t nlink, uint32_t mtime,
                        uint32_t size, unsigned rmaj, unsigned rmin, const char *name)
{
        size_t namesize = strlen(name) + 1;
        int n;

        n = fprintf(out, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08zX%08X",
                    ino, mode, 0u, 0u, nlink, mtime, size, 0u, 0u, rmaj, rmin, namesize, 0u);
        if (n != 110 || fwrite(name, 1, namesize, out) != namesize)
                return -EIO;
        return pad4(out, 110 + namesize);
}

/* Copies exactly SIZE bytes of the file SRC. */
static int copy_file(FILE *out, const char *src, size_t size)
{
        char buf[65536];
        size_t left = size;
        int fd, r = 0;

        fd = open(src, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        while (left > 0 && r == 0) {
                ssize_t n = read(fd, buf, left < sizeof buf ? left : sizeof buf);
                if (n < 0)
                        r = -errno;
                else if (n == 0)
                        r = -EIO;       /* the file shrank */
                else if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
                        r = -EIO;
                else
                        left -= (size_t)n;
        }
        close(fd);
        return r;
}

static int write_entry(struct mk_cpio *c, FILE *out, const struct cpio_entry *e, uint32_t ino)
{
        size_t size = e->size;
        struct stat st;
        int r;

        if (e->src) {
                if (stat(e->src, &st) < 0)
                        return -errno;
                if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size > UINT32_MAX)
                        return -EINVAL;
                size = (size_t)st.st_size;
        }
        r = write_header(out, ino, (uint32_t)e->mode, S_ISDIR(e->mode) ? 2 : 1, c->mtime,
                         (uint32_t)size, e->rmajor, e->rminor, e->name);
        if (r < 0)
                return r;
        if (e->src)
                r = copy_file(out, e->src, size);
        else if (size && fwrite(e->data, 1, size, out) != size)
                r = -EIO;
        return r < 0 ? r : pad4(out, size);
}

int mk_cpio_write(struct mk_cpio *c, FILE *out)
{
        int r;

        qsort(c->e, c->n, sizeof *c->e, by_name);
        for (size_t i = 0; i < c->n; i++) {
                r = write_entry(c, out, &c->e[i], (uint32_t)(i + 1));
                if (r < 0)
                        return r;
        }
        r = write_header(out, 0, 0, 1, 0, 0, 0, 0, "TRAILER!!!");
        if (r < 0)
                return r;
        return fflush(out) == 0 && !ferror(out) ? 0 : -EIO;
}
