/* vmm/paths.c: XDG folders, profile lookup and PATH search. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "profile.h"

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

int vmm_state_dir(const char *name, char *buf, size_t size)
{
        const char *base = xdg("XDG_STATE_HOME"), *home = xdg("HOME");
        char tmp[4096];
        int r;

        if (base)
                return format_path(buf, size, base, "/thatte-vmm", name);
        if (geteuid() == 0)
                return format_path(buf, size, "/var/lib", "/thatte-vmm", name);
        if (!home)
                return -ENXIO;
        r = format_path(tmp, sizeof(tmp), home, "/.local/state", NULL);
        return r < 0 ? r : format_path(buf, size, tmp, "/thatte-vmm", name);
}

static int is_path(const char *arg)
{
        size_t n = strlen(arg);

        return strchr(arg, '/') || (n > 5 && strcmp(arg + n - 5, ".toml") == 0);
}

int vmm_find_profile(const char *arg, char *buf, size_t size)
{
        const char *config = xdg("XDG_CONFIG_HOME"), *home = xdg("HOME");
        char dirs[4][4096];
        size_t nd = 0;

        if (is_path(arg))
                return format_path(buf, size, arg, "", NULL);
        if (!vmm_name_valid(arg))
                return -EINVAL;
        if (config)
                snprintf(dirs[nd++], sizeof(dirs[0]), "%s/thatte/vms", config);
        else if (home)
                snprintf(dirs[nd++], sizeof(dirs[0]), "%s/.config/thatte/vms", home);
        snprintf(dirs[nd++], sizeof(dirs[0]), "%s", VMM_SYSCONF_PROFILEDIR);
        snprintf(dirs[nd++], sizeof(dirs[0]), "%s", VMM_SYSTEM_PROFILEDIR);
        snprintf(dirs[nd++], sizeof(dirs[0]), "%s", VMM_DATA_PROFILEDIR);
        for (size_t i = 0; i < nd; i++) {
                if (snprintf(buf, size, "%s/%s.toml", dirs[i], arg) >= (int)size)
                        return -ENAMETOOLONG;
                if (access(buf, F_OK) == 0)
                        return 0;
        }
        return -ENOENT;
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
