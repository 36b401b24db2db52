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

int vmm_verb_list(const vmm_cmd *c)
{
        json_object *arr = c->json ? json_object_new_array() : NULL;
        char **names;
        size_t n;
        int r = read_names(&names, &n), header = 0;

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
                                if (!header++)
                                        printf("%-24s %-8s %-8s %s\n", "NAME", "STATE", "PID", "SYSTEM");
                                printf("%-24s %-8s %-8d %s\n", names[i], vmm_state_name(vm.state),
                                       (int)vm.pid, s.system ? s.system : "-");
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
