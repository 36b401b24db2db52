/* vmm/verb-down.c: `down SYSTEM.toml [--timeout S] [--force]`: stops the
 * system's VMs in reverse order. A VM of that name that another system
 * (or a plain `start`) runs is left alone. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "stopping.h"
#include "system.h"
#include "vmm.h"

/* Stops one VM of sys; returns an exit status. */
static int down_vm(const vmm_cmd *c, const vmm_system *sys, const vmm_system_vm *v)
{
        vmm_cmd pc = { .target = v->path ? v->path : v->profile, .timeout = -1, .accel = -1 };
        char name[VMM_NAME_MAX + 1], owner[4096];
        vmm_profile *p;
        vmm_vm vm;
        int timeout, r = vmm_cli_name(&pc, name, sizeof(name), &p);

        if (r != VMM_EXIT_OK)
                return r;
        timeout = c->timeout > 0 ? c->timeout : p ? (int)p->stop_timeout : 30;
        vmm_profile_free(p);
        r = vmm_cli_inspect(name, &vm);
        if (r != VMM_EXIT_OK)
                return r;
        if (vm.state == VMM_STATE_STOPPED) {
                printf("%s: not running\n", name);
                return VMM_EXIT_OK;
        }
        if (vm.state == VMM_STATE_RUNNING &&
            (vmm_vm_system(&vm, owner, sizeof(owner)) < 0 || strcmp(owner, sys->file) != 0)) {
                vmm_err("VM '%s' was not started by this system (%s); leaving it running", name, sys->file);
                return VMM_EXIT_OK;
        }
        r = vmm_stop_vm(name, timeout, c->force, NULL);
        if (r == VMM_EXIT_OK)
                printf("%s: stopped\n", name);
        fflush(stdout);
        return r;
}

int vmm_verb_down(const vmm_cmd *c)
{
        vmm_system *sys;
        int r = vmm_cli_system(c->target, &sys), status = VMM_EXIT_OK;

        if (r != VMM_EXIT_OK)
                return r;
        for (size_t i = sys->n_vms; i-- > 0;) {
                r = down_vm(c, sys, &sys->vms[i]);
                if (r != VMM_EXIT_OK)
                        status = r;
        }
        vmm_system_free(sys);
        return status;
}
