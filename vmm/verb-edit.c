/* vmm/verb-edit.c: `edit NAME|PROFILE`: $VISUAL (else $EDITOR, else vi) on
 * a copy of the profile next to it; the copy replaces the profile only once
 * it checks out, as virsh edit does. A profile in a folder the user cannot
 * write (a shipped one) is copied to $XDG_CONFIG_HOME/thatte/vms first,
 * which then wins the lookup by name (its relative paths made absolute, so
 * they name the same files from there). A profile reached through a symbolic
 * link is edited where the link points. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "edit-paths.h"
#include "paths.h"
#include "spawn.h"
#include "thatte-agent.h"
#include "thatte-dirs.h"
#include "vmm.h"

#define EDITOR_WORDS 16

/* Whether the variable names a command: set, and not only blanks. */
static const char *command_in(const char *var)
{
        const char *e = getenv(var);

        return e && e[strspn(e, " \t")] ? e : NULL;
}

/* The editor's command: words of $VISUAL or $EDITOR split at spaces (no
 * shell), then the file. */
static int run_editor(const char *file)
{
        const char *e = command_in("VISUAL") ?: command_in("EDITOR");
        char copy[1024], *argv[EDITOR_WORDS + 2], *save = NULL;
        int n = 0, status, r;

        snprintf(copy, sizeof(copy), "%s", e ? e : "vi");
        for (char *w = strtok_r(copy, " \t", &save); w && n < EDITOR_WORDS; w = strtok_r(NULL, " \t", &save))
                argv[n++] = w;
        argv[n++] = (char *)file;
        argv[n] = NULL;
        r = thatte_spawn_wait((const char *const *)argv, 0, &status);
        if (r < 0) {
                vmm_err("edit: running %s: %s", argv[0], strerror(-r));
                return -1;
        }
        if (status != 0) {
                vmm_err("edit: %s exited with status %d; the profile is unchanged", argv[0], status);
                return -1;
        }
        return 0;
}

/* Writes data into a new copy next to path (its name into tmp), with the
 * edited profile's permission bits. */
static int write_copy(const char *path, mode_t mode, const char *data, size_t size, char *tmp, size_t tsize)
{
        char d[4096];
        int fd;

        snprintf(d, sizeof(d), "%s", path);
        snprintf(tmp, tsize, "%s/.%s.edit-XXXXXX", dirname(d), strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
        fd = mkstemp(tmp);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, mode & 0777) < 0 || thatte_agent_write_all(fd, data, size) < 0 || close(fd) < 0) {
                (void)unlink(tmp);
                return -EIO;
        }
        return 0;
}

/* Where the edited profile goes: path itself when its folder is writable,
 * else $XDG_CONFIG_HOME/thatte/vms/BASENAME (relative paths then resolve
 * there: check says so). */
static int destination(const char *path, char *out, size_t size)
{
        char d[4096], dirs[VMM_SEARCH_DIRS][4096];

        snprintf(d, sizeof(d), "%s", path);
        if (access(dirname(d), W_OK) == 0)
                return snprintf(out, size, "%s", path) < (int)size ? 0 : -ENAMETOOLONG;
        if (vmm_profile_dirs(dirs) == 0 || thatte_mkdir_private(dirs[0]) < 0)
                return -EACCES;
        snprintf(d, sizeof(d), "%s", path);
        return snprintf(out, size, "%s/%s", dirs[0], basename(d)) < (int)size ? 0 : -ENAMETOOLONG;
}

/* The profile's text as it must read from another folder: its relative
 * paths made absolute against path's folder. */
static int for_other_folder(const char *path, char **data, size_t *size)
{
        char d[PATH_MAX], *moved;
        size_t msize;
        int r;

        snprintf(d, sizeof(d), "%s", path);
        r = vmm_absolute_paths(*data, *size, dirname(d), &moved, &msize);
        if (r < 0)
                return r;
        free(*data);
        *data = moved;
        *size = msize;
        return 0;
}

static bool ask_again(void)
{
        char answer[16] = "";

        if (!isatty(STDIN_FILENO))
                return false;
        fputs("Edit again? [Y/n] ", stderr);
        if (!fgets(answer, sizeof(answer), stdin))
                return false;
        return answer[0] != 'n' && answer[0] != 'N';
}

/* Edits until the copy checks out (1), the user gives up (0), or -1. */
static int edit_loop(const char *dest, const char *tmp)
{
        char d[4096];

        snprintf(d, sizeof(d), "%s", dest);
        for (;;) {
                thatte_toml_error err = { 0 };
                vmm_profile *p = NULL;
                char *data = NULL;
                size_t size;
                int r;

                if (run_editor(tmp) < 0)
                        return -1;
                r = vmm_read_toml_file(tmp, "profile", &data, &size, &err);
                if (r == 0)
                        r = vmm_profile_parse(data, size, dest, dirname(d), &p, &err);
                free(data);
                vmm_profile_free(p);
                snprintf(d, sizeof(d), "%s", dest);
                if (r == 0)
                        return 1;
                (void)vmm_cli_load_status(dest, r, &err);
                if (!ask_again())
                        return 0;
        }
}

int vmm_verb_edit(const vmm_cmd *c)
{
        char found[4096], path[PATH_MAX], dest[4096], tmp[4200];
        thatte_toml_error err = { 0 };
        struct stat st;
        char *data = NULL;
        size_t size;
        int r;

        r = vmm_cli_find_profile(c, found, sizeof(found));
        if (r != VMM_EXIT_OK)
                return r;
        /* A link (the system-wide driveros.toml) stays a link: its target is
         * edited, where the profile's relative paths resolve. */
        if (!realpath(found, path))
                snprintf(path, sizeof(path), "%s", found);
        r = vmm_read_toml_file(path, "profile", &data, &size, &err);
        if (r < 0)
                return vmm_cli_load_status(path, r, &err);
        r = destination(path, dest, sizeof(dest));
        if (r == 0 && strcmp(dest, path) != 0)
                r = for_other_folder(path, &data, &size);
        r = r ?: stat(path, &st) < 0 ? -errno : 0;
        r = r ?: write_copy(dest, st.st_mode, data, size, tmp, sizeof(tmp));
        free(data);
        if (r < 0) {
                vmm_err("edit: no writable copy of %s: %s", path, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        r = edit_loop(dest, tmp);
        if (r == 1 && rename(tmp, dest) < 0) {
                vmm_err("edit: replacing %s: %s", dest, strerror(errno));
                r = -1;
        }
        if (r != 1) {
                (void)unlink(tmp);
                return r == 0 ? VMM_EXIT_USAGE : VMM_EXIT_FAIL;
        }
        vmm_confirm(c, "%s: saved%s%s", dest, strcmp(dest, path) ? ", a copy of " : "", strcmp(dest, path) ? path : "");
        return VMM_EXIT_OK;
}
