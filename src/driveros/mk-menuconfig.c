/* mk-menuconfig.c: thatte-driveros-make --menuconfig. The kernel's own
 * menuconfig runs on the THATTE configuration (the shipped fragment, the
 * --kernel-config ones, the --driver one and the user's kept one); what
 * the user changed, against the same configuration without the user's
 * fragment, becomes that fragment, which every later --kernel=thatte build
 * reads. Work in CACHE/kernel/menuconfig.tmp, removed at the end. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driveros/mk-build.h"
#include "driveros/mk-fs.h"
#include "driveros/mk-kconfig.h"
#include "driveros/mk-menuconfig.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-make"

char *mk_menuconfig_fragment(void)
{
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

        if (xdg && xdg[0] == '/')
                return mk_path("%s/thatte/driveros/kernel.config", xdg);
        return mk_path("%s/.config/thatte/driveros/kernel.config", home && *home ? home : "/");
}

/* Configures WORK/NAME from FRAGMENTS (plus EXTRA when not NULL) and
 * returns the .config's path there. */
static int configure(const struct mk_build *b, const char *src, const char *work, const char *name,
                     const char *const *fragments, const char *extra, char **ret)
{
        const char *all[MK_MAX_FRAGMENTS + 4] = { 0 };
        char *dir = mk_path("%s/%s", work, name);
        size_t n = 0;
        int r;

        for (; fragments[n] && n < MK_MAX_FRAGMENTS + 2; n++)
                all[n] = fragments[n];
        all[n] = extra;
        r = mkdir(dir, 0755) < 0 ? -errno : mk_kbuild_configure(b, src, dir, all);
        *ret = mk_path("%s/o/.config", dir);
        free(dir);
        return r;
}

static int keep(const char *base, const char *edited, const char *user)
{
        char *tmp = mk_path("%s.tmp", user), *dir = strdup(user);
        FILE *f;
        int r, n;

        *strrchr(dir, '/') = '\0';
        r = mk_mkdir_p(dir, 0755);
        f = r == 0 ? fopen(tmp, "we") : NULL;
        n = f ? (fprintf(f, "# Kept by thatte-driveros-make --menuconfig: what you changed.\n"),
                 mk_kconfig_diff(base, edited, f, stderr)) : r < 0 ? r : -errno;
        if (f && fclose(f) != 0 && n >= 0)
                n = -errno;
        if (n >= 0 && rename(tmp, user) < 0)
                n = -errno;
        if (n < 0) {
                (void)unlink(tmp);
                fprintf(stderr, PROGRAM ": keeping your configuration in %s: %s\n", user, strerror(-n));
        } else {
                printf(PROGRAM ": kept %d changed option%s in %s\n", n, n == 1 ? "" : "s", user);
        }
        free(tmp);
        free(dir);
        return n < 0 ? n : 0;
}

static int edit(const struct mk_build *b, const char *src, const char *work,
                const char *const *fragments, const char *user)
{
        char *base = NULL, *edited = NULL, *base_text = NULL, *edited_text = NULL;
        char *c = mk_path("-C%s", src), *o = mk_path("O=%s/edit/o", work);
        char *argv[] = { "make", c, o, "ARCH=x86_64", "menuconfig", NULL };
        int r = configure(b, src, work, "base", fragments, NULL, &base);

        if (r == 0)
                r = configure(b, src, work, "edit", fragments, access(user, R_OK) == 0 ? user : NULL, &edited);
        if (r == 0 && (r = mk_spawn_interactive(argv)) < 0)
                fprintf(stderr, PROGRAM ": make menuconfig failed (it needs libncurses-dev): %s\n",
                        r == -EPROTO ? "see above" : strerror(-r));
        if (r == 0 && (r = mk_read_file(base, &base_text)) == 0)
                r = mk_read_file(edited, &edited_text);
        if (r == 0)
                r = keep(base_text, edited_text, user);
        free(base);
        free(edited);
        free(base_text);
        free(edited_text);
        free(c);
        free(o);
        return r;
}

int mk_menuconfig(const struct mk_build *b, const char *const *fragments)
{
        char *work = mk_path("%s/kernel/menuconfig.tmp", b->cache), *src = NULL;
        char *user = mk_menuconfig_fragment();
        int r = 0;

        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
                fprintf(stderr, PROGRAM ": --menuconfig needs a terminal\n");
                r = -EINVAL;
        }
        if (r == 0)
                r = mk_kbuild_source(b, &src);
        (void)mk_rmtree(work);
        if (r == 0 && (r = mk_mkdir_p(work, 0755)) == 0)
                r = edit(b, src, work, fragments, user);
        (void)mk_rmtree(work);
        free(work);
        free(src);
        free(user);
        return r;
}
