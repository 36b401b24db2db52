/* vmm/verb-down.c: `down SYSTEM.toml [--timeout S] [--force] [--json]`:
 * stops the system's VMs in reverse order. A VM of that name that another
 * system (or a plain `start`) runs is left alone. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "stopping.h"
#include "system.h"
#include "vmm.h"

/* Stops one VM of sys, its name into name (empty when not even that is
 * known). Returns an exit status; *how says what happened: vmm_stop_vm's
 * word, or "other-system" for a VM this system did not start. */
static int stop_one(const vmm_cmd *c, const vmm_system *sys, const vmm_system_vm *v, char *name, size_t size,
                    const char **how)
{
        vmm_cmd pc = { .target = v->path ? v->path : v->profile, .timeout = -1, .accel = -1, .display = -1 };
        char owner[4096];
        vmm_profile *p;
        vmm_vm vm;
        int timeout, r = vmm_cli_name(&pc, name, size, &p);

        if (r != VMM_EXIT_OK)
                return r;
        timeout = c->timeout > 0 ? c->timeout : p ? (int)p->stop_timeout : 30;
        vmm_profile_free(p);
        r = vmm_cli_inspect(name, &vm);
        if (r != VMM_EXIT_OK)
                return r;
        if (vm.state == VMM_STATE_STOPPED) {
                *how = "not-running";
                return VMM_EXIT_OK;
        }
        if (vm.state == VMM_STATE_RUNNING &&
            (vmm_vm_system(&vm, owner, sizeof(owner)) < 0 || strcmp(owner, sys->file) != 0)) {
                vmm_err("VM '%s' was not started by this system (%s); leaving it running", name, sys->file);
                *how = "other-system";
                return VMM_EXIT_OK;
        }
        return vmm_stop_vm(name, timeout, c->force, how);
}

/* Says what became of VM v: a line on stdout, or with --json (vms set)
 * {"name", "profile", "stopped", "how"} added to vms. */
static void report_vm(json_object *vms, const vmm_system_vm *v, const char *name, int r, const char *how)
{
        bool other = strcmp(how, "other-system") == 0;
        json_object *o;

        if (!vms) {
                if (strcmp(how, "not-running") == 0)
                        printf("%s: not running\n", name);
                else if (r == VMM_EXIT_OK && !other)
                        printf("%s: stopped\n", name);
                fflush(stdout);
                return;
        }
        o = json_object_new_object();
        json_object_object_add(o, "name", *name ? json_object_new_string(name) : NULL);
        json_object_object_add(o, "profile", json_object_new_string(v->profile));
        json_object_object_add(o, "stopped", json_object_new_boolean(r == VMM_EXIT_OK && !other));
        json_object_object_add(o, "how", json_object_new_string(how));
        json_object_array_add(vms, o);
}

/* The --json document: {"system", "file", "vms"}; takes vms. */
static void print_json(const vmm_system *sys, json_object *vms)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "system", json_object_new_string(sys->name));
        json_object_object_add(o, "file", json_object_new_string(sys->file));
        json_object_object_add(o, "vms", vms);
        vmm_print_json(o);
}

int vmm_verb_down(const vmm_cmd *c)
{
        json_object *vms = c->json ? json_object_new_array() : NULL;
        vmm_system *sys;
        int r = vmm_cli_system(c->target, &sys), status = VMM_EXIT_OK;

        if (r != VMM_EXIT_OK) {
                json_object_put(vms);
                return r;
        }
        for (size_t i = sys->n_vms; i-- > 0;) {
                char name[VMM_NAME_MAX + 1] = "";
                const char *how = "failed";

                r = stop_one(c, sys, &sys->vms[i], name, sizeof(name), &how);
                report_vm(vms, &sys->vms[i], name, r, how);
                if (r != VMM_EXIT_OK)
                        status = r;
        }
        if (vms)
                print_json(sys, vms);
        vmm_system_free(sys);
        return status;
}
