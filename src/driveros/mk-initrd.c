/* mk-initrd.c: laying out the initramfs. thatte-init reads the module list
 * from INIT_MODULE_LIST and loads the files in that order. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/init.h"
#include "driveros/mk-cpio.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-initrd.h"

static int add_modules(struct mk_cpio *c, const struct mk_initrd_spec *s)
{
        char *list = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&list, &len);
        int r = f ? 0 : -ENOMEM;

        for (size_t i = 0; r == 0 && s->modules && s->modules[i]; i++) {
                char *src = mk_path("%s/%s", s->modroot, s->modules[i]);
                char *dst = mk_path("/lib/modules/%s/%s", s->release, s->modules[i]);

                r = mk_cpio_add_file(c, dst, 0644, src);
                fprintf(f, "%s\n", dst);
                free(src);
                free(dst);
        }
        if (f && fclose(f) != 0 && r == 0)
                r = -ENOMEM;
        if (r == 0)
                r = mk_cpio_add_data(c, INIT_MODULE_LIST, 0644, list, len);
        free(list);
        return r;
}

static int add_base(struct mk_cpio *c, const struct mk_initrd_spec *s)
{
        static const char *const dirs[] = { "proc", "sys", "dev", "run", "tmp", "root", "etc" };
        int r = 0;

        for (size_t i = 0; r == 0 && i < sizeof dirs / sizeof dirs[0]; i++)
                r = mk_cpio_add_dir(c, dirs[i], !strcmp(dirs[i], "tmp") ? 01777 :
                                                !strcmp(dirs[i], "root") ? 0700 : 0755);
        /* The kernel opens /dev/console for init before devtmpfs exists. */
        if (r == 0)
                r = mk_cpio_add_node(c, "dev/console", S_IFCHR, 0600, 5, 1);
        if (r == 0)
                r = mk_cpio_add_file(c, "init", 0755, s->init);
        if (r == 0 && s->compositor)
                r = mk_cpio_add_file(c, "usr/bin/thatte-compositor", 0755, s->compositor);
        if (r == 0)
                r = mk_cpio_add_data(c, "etc/hostname", 0644, "driveros\n", 9);
        if (r == 0 && s->busybox) {
                r = mk_cpio_add_file(c, "bin/busybox", 0755, s->busybox);
                if (r == 0)
                        r = mk_cpio_add_symlink(c, "bin/sh", "busybox");
        }
        return r;
}

/* Files given with --add keep only whether they are executable, like the
 * rest of the archive (fixed owners, 0755 or 0644). */
static int add_extra(struct mk_cpio *c, const struct mk_initrd_spec *s)
{
        struct stat st;
        int r = 0;

        for (size_t i = 0; r == 0 && s->add_src && s->add_src[i]; i++) {
                if (stat(s->add_src[i], &st) < 0)
                        return -errno;
                r = mk_cpio_add_file(c, s->add_dest[i], st.st_mode & 0111 ? 0755 : 0644,
                                     s->add_src[i]);
        }
        return r;
}

int mk_initrd_write(const struct mk_initrd_spec *s, const char *out)
{
        struct mk_cpio *c = NULL;
        FILE *f = NULL;
        int r;

        r = mk_cpio_new(s->mtime, &c);
        if (r == 0)
                r = add_base(c, s);
        if (r == 0)
                r = add_modules(c, s);
        if (r == 0)
                r = add_extra(c, s);
        if (r == 0) {
                f = fopen(out, "wxe");
                r = f ? 0 : -errno;
        }
        if (r == 0)
                r = mk_cpio_write(c, f);
        if (f && fclose(f) != 0 && r == 0)
                r = -errno;
        if (r < 0 && f)
                (void)unlink(out);
        mk_cpio_free(c);
        return r;
}
