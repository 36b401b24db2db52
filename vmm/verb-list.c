/* vmm/verb-list.c: `list [--json]`: every VM with a runtime folder. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "profile.h"
#include "status-json.h"
#include "vmm.h"

static int by_name(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The valid VM names under the runtime root, sorted. */
static int read_names(char ***ret, size_t *ret_n)
{
        char root[4096], **names = NULL;
        struct dirent *de;
        size_t n = 0;
        DIR *d;

        if (vmm_runtime_dir(NULL, root, sizeof(root)) < 0)
                return -ENXIO;
        d = opendir(root);
        if (!d) {
                *ret = NULL;
                *ret_n = 0;
                return errno == ENOENT ? 0 : -errno;
        }
        while ((de = readdir(d))) {
                char **nn;

                if (!vmm_name_valid(de->d_name))
                        continue;
                nn = realloc(names, (n + 1) * sizeof(char *));
                if (!nn || !(nn[n] = strdup(de->d_name))) {
                        names = nn ? nn : names;
                        break;
                }
                names = nn;
                n++;
        }
        closedir(d);
        qsort(names, n, sizeof(char *), by_name);
        *ret = names;
        *ret_n = n;
        return 0;
}

/* Appends to *names the entries of dir that are VM names once `suffix`
 * is cut off (folders for "", profiles for ".toml"). */
static void add_names(const char *dir, const char *suffix, char ***names, size_t *n)
{
        struct dirent *de;
        DIR *d = opendir(dir);

        while (d && (de = readdir(d))) {
                size_t l = strlen(de->d_name), s = strlen(suffix);
                char name[VMM_NAME_MAX + 1], **nn;

                if (l <= s || l - s > VMM_NAME_MAX || strcmp(de->d_name + l - s, suffix) != 0)
                        continue;
                snprintf(name, sizeof(name), "%.*s", (int)(l - s), de->d_name);
                if (!vmm_name_valid(name) || !strcmp(name, "channels"))
                        continue;
                nn = realloc(*names, (*n + 1) * sizeof(char *));
                if (!nn)
                        break;
                *names = nn;
                if ((nn[*n] = strdup(name)))
                        (*n)++;
        }
        if (d)
                closedir(d);
}

/* --all: also every profile found by name and every VM with a state
 * folder, once each, sorted. */
static void add_known(char ***names, size_t *n)
{
        char dirs[VMM_SEARCH_DIRS][4096], state[4096];
        size_t nd = vmm_profile_dirs(dirs), kept = 0;

        for (size_t i = 0; i < nd; i++)
                add_names(dirs[i], ".toml", names, n);
        if (vmm_state_dir(NULL, state, sizeof(state)) == 0)
                add_names(state, "", names, n);
        qsort(*names, *n, sizeof(char *), by_name);
        for (size_t i = 0; i < *n; i++) {
                if (kept && !strcmp((*names)[kept - 1], (*names)[i]))
                        free((*names)[i]);
                else
                        (*names)[kept++] = (*names)[i];
        }
        *n = kept;
}

/* One line of the table (the header first), "-" for what a VM lacks. */
static void print_line(const char *name, const vmm_vm *vm, const char *system, bool header)
{
        char pid[16] = "-";

        if (header)
                printf("%-24s %-8s %-8s %s\n", "NAME", "STATE", "PID", "SYSTEM");
        if (vm->pid > 0)
                snprintf(pid, sizeof(pid), "%d", (int)vm->pid);
        printf("%-24s %-8s %-8s %s\n", name, vmm_state_name(vm->state), pid, system ? system : "-");
}

int vmm_verb_list(const vmm_cmd *c)
{
        json_object *arr = c->json ? json_object_new_array() : NULL;
        char **names;
        size_t n;
        int r = read_names(&names, &n), header = 0;

        if (r == 0 && c->all)
                add_known(&names, &n);

        if (r < 0) {
                vmm_err("listing VMs: %s", r == -ENXIO ? "XDG_RUNTIME_DIR is not set" : strerror(-r));
                json_object_put(arr);
                return VMM_EXIT_FAIL;
        }
        for (size_t i = 0; i < n; i++) {
                vmm_vm vm;

                if (strcmp(names[i], "channels") != 0 && vmm_vm_inspect(names[i], &vm) == 0) {
                        char sys[256];
                        vmm_status s = { .state = vm.state, .pid = vm.pid, .uptime = -1,
                                         .system = vmm_status_system(&vm, sys, sizeof(sys)) };

                        /* The same object as status --json, accel, uptime and display included. */
                        if (arr) {
                                vmm_status_query(&vm, &s);
                                json_object_array_add(arr, vmm_status_json(names[i], &s));
                        } else {
                                print_line(names[i], &vm, s.system, header++ == 0);
                        }
                }
                free(names[i]);
        }
        free(names);
        if (arr) {
                puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
                json_object_put(arr);
        }
        return VMM_EXIT_OK;
}
