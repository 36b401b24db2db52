/* mk-main.c: thatte-driveros-make: builds a DriverOS image folder.
 *
 * Everything is made in a temporary folder next to the output and renamed
 * into place at the end; an error or a signal removes it (and stops the
 * helper programs) so nothing half-made is ever left at the output path. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-build.h"
#include "driveros/mk-drivers.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-options.h"
#include "driveros/mk-output.h"
#include "driveros/mk-system.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-make"

/* The default cache: $XDG_CACHE_HOME/thatte/driveros or ~/.cache/... */
static char *default_cache(void)
{
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

        if (xdg && xdg[0] == '/')
                return mk_path("%s/thatte/driveros", xdg);
        return mk_path("%s/.cache/thatte/driveros", home && *home ? home : "/");
}

/* Helper programs (depmod, debootstrap, mke2fs) live in sbin directories a
 * user's PATH often lacks. */
static void extend_path(void)
{
        const char *path = getenv("PATH");
        char *p = mk_path("%s:/usr/sbin:/sbin", path && *path ? path : "/usr/bin:/bin");

        (void)setenv("PATH", p, 1);
        free(p);
}

static void __attribute__((noreturn)) die_by_signal(int sig)
{
        (void)signal(sig, SIG_DFL);
        (void)raise(sig);
        _exit(128 + sig);
}

int main(int argc, char **argv)
{
        struct mk_options o;
        struct mk_build b = { 0 };
        char *tmp = NULL, *cache;
        int r;

        r = mk_options_parse(argc, argv, &o);
        if (r != 0)
                return r > 0 ? 0 : 2;
        if (o.disk && geteuid() != 0) {
                fprintf(stderr, PROGRAM ": --mode disk needs root: debootstrap installs packages "
                                "as root into the new tree (run it with sudo, or use the "
                                "default initramfs mode, which does not)\n");
                return 1;
        }
        if (o.system && mk_system_prepare() < 0)
                return 1;
        extend_path();
        mk_spawn_trap_signals();
        cache = o.cache ? strdup(o.cache) : default_cache();
        r = mk_mkdir_p(cache, 0755);
        if (r < 0) {
                fprintf(stderr, PROGRAM ": creating the cache %s failed: %s\n", cache, strerror(-r));
                free(cache);
                return 1;
        }
        if (o.driver_help) {            /* a question, not a build */
                b = (struct mk_build){ .o = &o, .cache = cache, .progress = o.verbose };
                r = mk_drivers_help(&b, o.driver_help);
                free(cache);
                return r == -EINVAL ? 2 : r < 0 ? 1 : 0;
        }
        r = mk_output_begin(o.output, &tmp);
        if (r < 0)
                fprintf(stderr, PROGRAM ": creating a folder next to %s failed: %s\n", o.output,
                        strerror(-r));
        if (r == 0)
                r = mk_build_run(&b, &o, cache, tmp);
        if (r == 0 && mk_interrupted)
                r = -EINTR;
        if (r == 0) {
                r = mk_output_commit(tmp, o.output);
                if (r == -EEXIST)
                        fprintf(stderr, PROGRAM ": %s exists and is not a DriverOS image; "
                                        "not replacing it\n", o.output);
                else if (r < 0)
                        fprintf(stderr, PROGRAM ": moving the image to %s failed: %s\n", o.output,
                                strerror(-r));
        }
        if (r < 0 && tmp)
                (void)mk_rmtree(tmp);
        if (r == 0 && o.system)
                r = mk_system_link();
        if (r == 0)
                mk_build_report(&b, o.output);
        mk_build_done(&b);
        free(tmp);
        free(cache);
        if (mk_interrupted)
                die_by_signal(mk_interrupted);
        /* -EINVAL: a usage or configuration error (a bad fragment line ...). */
        return r == -EINVAL ? 2 : r < 0 ? 1 : 0;
}
