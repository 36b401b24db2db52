/* vmm/paths.c: XDG folders, profile lookup and PATH search. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "profile.h"
#include "thatte-suggest.h"

static int format_path(char *buf, size_t size, const char *a, const char *b, const char *name)
{
        int n = snprintf(buf, size, "%s%s%s%s", a, b, name ? "/" : "", name ? name : "");

        return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* XDG variables must hold absolute paths; relative ones are ignored. */
static const char *xdg(const char *var)
{
        const char *v = getenv(var);

        return v && v[0] == '/' ? v : NULL;
}

int vmm_runtime_dir(const char *name, char *buf, size_t size)
{
        const char *base = xdg("XDG_RUNTIME_DIR");

        if (base)
                return format_path(buf, size, base, "/thatte-vmm", name);
        if (geteuid() == 0)
                return format_path(buf, size, "/run", "/thatte-vmm", name);
        return -ENXIO;
}

/* $var/thatte-vmm/name; for root without var, root/thatte-vmm/name; else
 * $HOME/home_sub/thatte-vmm/name. */
static int xdg_path(const char *var, const char *root, const char *home_sub, const char *name, char *buf,
                    size_t size)
{
        const char *base = xdg(var), *home = xdg("HOME");
        char tmp[4096];
        int r;

        if (base)
                return format_path(buf, size, base, "/thatte-vmm", name);
        if (geteuid() == 0)
                return format_path(buf, size, root, "/thatte-vmm", name);
        if (!home)
                return -ENXIO;
        r = format_path(tmp, sizeof(tmp), home, home_sub, NULL);
        return r < 0 ? r : format_path(buf, size, tmp, "/thatte-vmm", name);
}

int vmm_state_dir(const char *name, char *buf, size_t size)
{
        return xdg_path("XDG_STATE_HOME", "/var/lib", "/.local/state", name, buf, size);
}

int vmm_cache_file(const char *file, char *buf, size_t size)
{
        return xdg_path("XDG_CACHE_HOME", "/var/cache", "/.cache", file, buf, size);
}

static int is_path(const char *arg)
{
        size_t n = strlen(arg);

        return strchr(arg, '/') || (n > 5 && strcmp(arg + n - 5, ".toml") == 0);
}

/* The user's $XDG_CONFIG_HOME/thatte/SUB, then each of the fixed folders
 * (NULL-terminated), into dirs; returns how many. */
static size_t search_dirs(const char *sub, const char *const *fixed, char (*dirs)[4096])
{
        const char *config = xdg("XDG_CONFIG_HOME"), *home = xdg("HOME");
        size_t nd = 0;

        if (config)
                snprintf(dirs[nd++], sizeof(dirs[0]), "%s/thatte/%s", config, sub);
        else if (home)
                snprintf(dirs[nd++], sizeof(dirs[0]), "%s/.config/thatte/%s", home, sub);
        for (; *fixed && nd < VMM_SEARCH_DIRS; fixed++)
                snprintf(dirs[nd++], sizeof(dirs[0]), "%s", *fixed);
        return nd;
}

static const char *const profile_dirs[] = {
        VMM_SYSCONF_PROFILEDIR, VMM_SYSTEM_PROFILEDIR, VMM_DATA_PROFILEDIR, NULL
};

size_t vmm_profile_dirs(char (*dirs)[4096])
{
        return search_dirs("vms", profile_dirs, dirs);
}

/* NAME.toml in the first of search_dirs that has it. */
static int find_named(const char *arg, const char *sub, const char *const *fixed, char *buf, size_t size)
{
        char dirs[VMM_SEARCH_DIRS][4096];
        size_t nd;

        if (is_path(arg))
                return format_path(buf, size, arg, "", NULL);
        if (!vmm_name_valid(arg))
                return -EINVAL;
        nd = search_dirs(sub, fixed, dirs);
        for (size_t i = 0; i < nd; i++) {
                if (snprintf(buf, size, "%s/%s.toml", dirs[i], arg) >= (int)size)
                        return -ENAMETOOLONG;
                if (access(buf, F_OK) == 0)
                        return 0;
        }
        return -ENOENT;
}

int vmm_find_profile(const char *arg, char *buf, size_t size)
{
        return find_named(arg, "vms", profile_dirs, buf, size);
}

int vmm_suggest_profile(const char *arg, char *buf, size_t size)
{
        char dirs[VMM_SEARCH_DIRS][4096], names[64][VMM_NAME_MAX + 1];
        const char *cands[65] = { NULL }, *hint;
        size_t nd = vmm_profile_dirs(dirs), n = 0;

        for (size_t i = 0; i < nd; i++) {
                DIR *d = opendir(dirs[i]);
                struct dirent *de;

                while (d && (de = readdir(d)) && n < 64) {
                        size_t len = strlen(de->d_name);

                        if (len > 5 && len - 5 <= VMM_NAME_MAX && strcmp(de->d_name + len - 5, ".toml") == 0) {
                                snprintf(names[n], sizeof(names[n]), "%.*s", (int)(len - 5), de->d_name);
                                cands[n] = names[n];
                                n++;
                        }
                }
                if (d)
                        closedir(d);
        }
        hint = thatte_suggest(arg, cands);
        if (!hint)
                return 0;
        snprintf(buf, size, "%s", hint);
        return 1;
}

int vmm_find_system(const char *arg, char *buf, size_t size)
{
        static const char *const fixed[] = { VMM_SYSCONF_SYSTEMDIR, VMM_DATA_SYSTEMDIR, NULL };

        return find_named(arg, "systems", fixed, buf, size);
}

int vmm_find_program(const char *name, char *buf, size_t size)
{
        const char *path = getenv("PATH");

        if (!path || !*path)
                path = "/usr/local/bin:/usr/bin:/bin";
        while (*path) {
                size_t n = strcspn(path, ":");

                /* Empty and relative entries would make the result depend on
                 * the working folder; skip them. */
                if (n > 0 && path[0] == '/' && (size_t)snprintf(buf, size, "%.*s/%s", (int)n, path, name) < size &&
                    access(buf, X_OK) == 0)
                        return 0;
                path += n + (path[n] == ':');
        }
        return -ENOENT;
}
