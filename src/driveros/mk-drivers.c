/* mk-drivers.c: the --driver step of a --kernel=thatte build. The drivers
 * are found in the linux-source tree the kernel is built from (PCI ids in
 * the modules.alias of Debian's kernel of the same series: a source tree
 * has no alias table until it is built with modules), and become one more
 * Kconfig fragment, DIR/.drivers.config, which the build reads after the
 * shipped and the user's ones and checks line by line like them. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-build.h"
#include "driveros/mk-driver.h"
#include "driveros/mk-drivers.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-kernel.h"

#define PROGRAM "thatte-driveros-make"

static int read_tree(const struct mk_build *b, struct mk_ktree *t)
{
        char *src = NULL;
        int r = mk_kbuild_source(b, &src);

        if (r == 0) {
                mk_build_say(b, "drivers: reading the Kconfig files and Makefiles of %s", src);
                r = mk_ktree_read(src, t);
                if (r < 0)
                        fprintf(stderr, PROGRAM ": reading the kernel tree %s: %s\n", src, strerror(-r));
        }
        free(src);
        return r;
}

static bool any_pci_id(const char *const *drivers)
{
        for (size_t i = 0; drivers[i]; i++)
                if (mk_driver_is_pci_id(drivers[i]))
                        return true;
        return false;
}

/* The text of modules.alias of Debian's kernel package, when a PCI id asks. */
static int read_aliases(const struct mk_build *b, char **ret)
{
        struct mk_kernel k = { 0 };
        char *path;
        int r;

        *ret = NULL;
        if (!any_pci_id(b->o->drivers))
                return 0;
        mk_build_say(b, "drivers: fetching %s for its modules.alias", b->o->kernel_package);
        r = mk_kernel_get(b->cache, b->o->kernel_package, b->o->verbose, &k);
        if (r < 0) {
                fprintf(stderr, PROGRAM ": %s (for the PCI ids of --driver): %s\n", b->o->kernel_package,
                        strerror(-r));
                return r;
        }
        path = mk_path("%s/modules.alias", k.modroot);
        r = mk_read_file(path, ret);
        if (r < 0)
                fprintf(stderr, PROGRAM ": reading %s: %s\n", path, strerror(-r));
        free(path);
        mk_kernel_done(&k);
        return r;
}

/* "QUERY -> FOUND; ..." for the MANIFEST. */
static char *summary(const char *const *queries, const struct mk_driver *d, size_t n)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s%s -> %s", i ? "; " : "", queries[i], d[i].found);
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

static int write_fragment(const struct mk_build *b, const struct mk_driver *d, size_t n, char *path)
{
        FILE *f = fopen(path, "wxe");
        int r = f ? mk_driver_fragment(d, b->o->drivers, n, f) : -errno;

        if (f && fclose(f) != 0 && r == 0)
                r = -errno;
        if (r < 0)
                fprintf(stderr, PROGRAM ": writing %s: %s\n", path, strerror(-r));
        return r;
}

int mk_drivers_fragment(struct mk_build *b, char **ret_path)
{
        struct mk_ktree t = { 0 };
        struct mk_driver d[MK_MAX_DRIVERS] = { 0 };
        char *aliases = NULL, *path = NULL;
        size_t n = 0;
        int r = read_tree(b, &t);

        if (r == 0)
                r = read_aliases(b, &aliases);
        for (; r == 0 && b->o->drivers[n]; n++) {
                r = mk_driver_resolve(&t, aliases, b->o->drivers[n], stderr, &d[n]);
                if (r == 0)
                        mk_build_say(b, "drivers: %s -> %s", b->o->drivers[n], d[n].found);
        }
        if (r == -ENOENT)
                r = -EINVAL;            /* exit 2: the user named something the tree lacks */
        if (r == 0) {
                path = mk_path("%s/.drivers.config", b->dir);
                r = write_fragment(b, d, n, path);
        }
        if (r == 0 && !(b->drivers = summary(b->o->drivers, d, n)))
                r = -ENOMEM;
        for (size_t i = 0; i < MK_MAX_DRIVERS; i++)
                mk_driver_done(&d[i]);
        mk_ktree_done(&t);
        free(aliases);
        if (r < 0) {
                free(path);
                return r;
        }
        *ret_path = path;
        return 0;
}

int mk_drivers_help(const struct mk_build *b, const char *class)
{
        struct mk_ktree t = { 0 };
        int r = read_tree(b, &t);

        if (r == 0 && !mk_driver_help(&t, *class ? class : NULL, stdout)) {
                fprintf(stderr, PROGRAM ": --driver help=%s: no drivers there; '--driver help' lists "
                                "the classes\n", class);
                r = -EINVAL;
        }
        mk_ktree_done(&t);
        return r;
}
