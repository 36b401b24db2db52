/* test-cpio: the newc writer, read back by GNU cpio(1) and by a header
 * parser here; two writes of the same inputs must be byte-identical. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driveros/mk-cpio.h"
#include "tests/tap.h"

#define MTIME 1700000000u

static char tmpdir[] = "/tmp/test-cpio.XXXXXX";
static char srcfile[4096];

static struct mk_cpio *sample(void)
{
        struct mk_cpio *c = NULL;

        if (mk_cpio_new(MTIME, &c) < 0)
                return NULL;
        /* Added out of order on purpose: the writer sorts. */
        ok(mk_cpio_add_file(c, "/usr/bin/tool", 0755, srcfile) == 0, "add file");
        ok(mk_cpio_add_data(c, "etc/thatte-init/modules", 0644, "a\nb\n", 4) == 0, "add data");
        ok(mk_cpio_add_node(c, "dev/console", S_IFCHR, 0600, 5, 1) == 0, "add char node");
        ok(mk_cpio_add_symlink(c, "bin", "usr/bin") == 0, "add symlink");
        ok(mk_cpio_add_dir(c, "usr", 0700) == 0, "explicit mode for an implicit parent");
        ok(mk_cpio_add_data(c, "init-empty", 0644, "", 0) == 0, "empty file");
        return c;
}

static int write_to(struct mk_cpio *c, const char *path)
{
        FILE *f = fopen(path, "we");
        int r;

        if (!f)
                return -errno;
        r = mk_cpio_write(c, f);
        fclose(f);
        return r;
}

static char *slurp(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "re");
        char *buf = NULL;
        size_t len = 0, cap = 0, n;

        if (!f)
                return NULL;
        do {
                if (len == cap)
                        buf = realloc(buf, (cap = cap ? 2 * cap : 4096) + 1);
                n = fread(buf + len, 1, cap - len, f);
                len += n;
        } while (n > 0);
        fclose(f);
        buf[len] = '\0';       /* the listing is read as a string */
        *ret_len = len;
        return buf;
}

/* Runs `cpio -it --quiet < ARCHIVE`, returns its output. */
static char *cpio_list(const char *archive)
{
        char out[4096];
        int status;
        pid_t pid;
        size_t len;

        snprintf(out, sizeof out, "%s/list", tmpdir);
        pid = fork();
        if (pid == 0) {
                int in = open(archive, O_RDONLY), o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
                dup2(in, 0);
                dup2(o, 1);
                execlp("cpio", "cpio", "-it", "--quiet", (char *)NULL);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
                return NULL;
        if (WEXITSTATUS(status) == 127)
                tap_diag("cpio(1) not found: install the Debian package cpio");
        if (WEXITSTATUS(status) != 0)
                return NULL;
        return slurp(out, &len);
}

static unsigned long field(const char *hdr, int index)
{
        char f[9];

        memcpy(f, hdr + 6 + 8 * index, 8);
        f[8] = '\0';
        return strtoul(f, NULL, 16);
}

/* Walks the archive's headers checking owner, mtime and inode order. */
static void check_headers(const char *buf, size_t len)
{
        size_t off = 0, entries = 0;
        bool owners = true, mtimes = true, inodes = true, magic = true;

        while (off + 110 <= len) {
                const char *h = buf + off;
                unsigned long namesize = field(h, 11), size = field(h, 6);

                magic &= !memcmp(h, "070701", 6);
                if (!strcmp(h + 110, "TRAILER!!!"))
                        break;
                entries++;
                owners &= field(h, 2) == 0 && field(h, 3) == 0;
                mtimes &= field(h, 5) == MTIME;
                inodes &= field(h, 0) == entries;
                off += (110 + namesize + 3) & ~3ul;
                off += (size + 3) & ~3ul;
        }
        ok(magic, "every header has the newc magic");
        is_int(entries, 10, "ten entries before the trailer");
        ok(owners, "owners are 0:0");
        ok(mtimes, "mtimes are the given one");
        ok(inodes, "inode numbers follow the order");
        is_int(len % 4, 0, "archive length is a multiple of 4");
}

static void test_archive(void)
{
        char a[4096], b[4096];
        struct mk_cpio *c1 = sample(), *c2 = sample();
        char *x, *y, *list;
        size_t lx = 0, ly = 0;

        snprintf(a, sizeof a, "%s/a.cpio", tmpdir);
        snprintf(b, sizeof b, "%s/b.cpio", tmpdir);
        is_int(write_to(c1, a), 0, "first write");
        is_int(write_to(c2, b), 0, "second write");
        x = slurp(a, &lx);
        y = slurp(b, &ly);
        ok(x && y && lx == ly && !memcmp(x, y, lx), "two writes are byte-identical");
        if (x)
                check_headers(x, lx);
        list = cpio_list(a);
        if (!ok(list && !strcmp(list,
                "bin\ndev\ndev/console\netc\netc/thatte-init\netc/thatte-init/modules\n"
                "init-empty\nusr\nusr/bin\nusr/bin/tool\n"),
           "cpio -t lists the sorted entries, parents first") && list)
                tap_diag("cpio -t said:\n%s", list);
        free(list);
        free(x);
        free(y);
        mk_cpio_free(c1);
        mk_cpio_free(c2);
        unlink(a);
        unlink(b);
}

static void test_errors(void)
{
        struct mk_cpio *c = NULL;
        char path[4096];

        is_int(mk_cpio_new(0, &c), 0, "new");
        is_int(mk_cpio_add_data(c, "x", 0644, "1", 1), 0, "add x");
        is_int(mk_cpio_add_data(c, "/x", 0644, "1", 1), -EEXIST, "same name twice");
        is_int(mk_cpio_add_dir(c, "a/../b", 0755), -EINVAL, "'..' refused");
        is_int(mk_cpio_add_dir(c, "a//b", 0755), -EINVAL, "empty component refused");
        is_int(mk_cpio_add_dir(c, "", 0755), -EINVAL, "empty name refused");
        is_int(mk_cpio_add_node(c, "n", S_IFREG, 0644, 1, 1), -EINVAL, "node must be a device");
        is_int(mk_cpio_add_file(c, "gone", 0644, "/nonexistent/thatte-test"), 0, "lazy source");
        snprintf(path, sizeof path, "%s/err.cpio", tmpdir);
        is_int(write_to(c, path), -ENOENT, "missing source fails the write");
        unlink(path);
        mk_cpio_free(c);
        mk_cpio_free(NULL);
}

int main(void)
{
        char list[4096];
        FILE *f;

        if (!mkdtemp(tmpdir))
                return 1;
        snprintf(srcfile, sizeof srcfile, "%s/src", tmpdir);
        f = fopen(srcfile, "we");
        fputs("#!/bin/sh\necho hi\n", f);
        fclose(f);
        test_archive();
        test_errors();
        snprintf(list, sizeof list, "%s/list", tmpdir);
        unlink(list);
        unlink(srcfile);
        ok(rmdir(tmpdir) == 0, "temp dir cleaned");
        return tap_done();
}
