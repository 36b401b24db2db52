/* mk-kernel.c: the kernel package in the cache, ready for an initramfs. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-kernel.h"
#include "driveros/mk-moddep.h"
#include "driveros/mk-spawn.h"

/* The one folder in TREE/lib/modules: the kernel release. */
static int find_release(const char *tree, char **ret)
{
        char *dir = mk_path("%s/lib/modules", tree);
        struct dirent *de;
        char *found = NULL;
        int n = 0;
        DIR *d = opendir(dir);

        free(dir);
        if (!d)
                return -ENOENT;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && n++ == 0)
                        found = strdup(de->d_name);
        closedir(d);
        if (n != 1) {
                free(found);
                return n ? -EPROTO : -ENOENT;
        }
        if (!found)
                return -ENOMEM;
        *ret = found;
        return 0;
}

static int run_depmod(const char *tree, void *userdata)
{
        bool verbose = *(bool *)userdata;
        char *release = NULL;
        int r = find_release(tree, &release);

        if (r < 0)
                return r;
        {
                char *argv[] = { "depmod", "-b", (char *)tree, release, NULL };
                r = mk_spawn_run(argv, NULL, verbose, NULL);
        }
        free(release);
        return r;
}

void mk_kernel_done(struct mk_kernel *k)
{
        if (!k)
                return;
        mk_apt_pkg_done(&k->pkg);
        free(k->deb);
        free(k->tree);
        free(k->release);
        free(k->vmlinuz);
        free(k->modroot);
        *k = (struct mk_kernel){ 0 };
}

int mk_kernel_get(const char *cache, const char *package, bool verbose, struct mk_kernel *ret)
{
        struct mk_kernel k = { 0 };
        int r;

        r = mk_apt_show(package, verbose, &k.pkg);
        if (r == 0)
                r = mk_apt_fetch(cache, &k.pkg, verbose, &k.deb, &k.reused);
        if (r == 0)
                r = mk_apt_unpack(cache, k.deb, verbose, run_depmod, &verbose, &k.tree);
        if (r == 0)
                r = find_release(k.tree, &k.release);
        if (r == 0) {
                k.vmlinuz = mk_path("%s/boot/vmlinuz-%s", k.tree, k.release);
                k.modroot = mk_path("%s/lib/modules/%s", k.tree, k.release);
                if (access(k.vmlinuz, R_OK) < 0)
                        r = -errno;
        }
        if (r < 0) {
                mk_kernel_done(&k);
                return r;
        }
        *ret = k;
        return 0;
}

int mk_kernel_modules(const struct mk_kernel *k, const char *const *names, char ***ret,
                      const char **ret_missing)
{
        char *dep = mk_path("%s/modules.dep", k->modroot);
        char *builtin = mk_path("%s/modules.builtin", k->modroot);
        FILE *fd = fopen(dep, "re"), *fb = fopen(builtin, "re");
        struct mk_moddep *d = NULL;
        char **list = NULL;
        int r = fd ? 0 : -errno;

        if (r == 0)
                r = mk_moddep_parse(fd, fb, &d, NULL);
        if (r == 0) {
                list = mk_moddep_resolve(d, names, ret_missing);
                r = list ? 0 : -errno;
        }
        if (fd)
                fclose(fd);
        if (fb)
                fclose(fb);
        mk_moddep_free(d);
        free(dep);
        free(builtin);
        if (r == 0)
                *ret = list;
        return r;
}
