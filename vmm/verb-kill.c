/* vmm/verb-kill.c: `kill NAME`: SIGKILL QEMU now, then clean up. */
#include "config.h"

#include <string.h>

#include "stopping.h"
#include "vmm.h"

int vmm_verb_kill(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        vmm_profile *p;
        vmm_vm vm;
        int r;

        r = vmm_cli_name(c, name, sizeof(name), &p);
        vmm_profile_free(p);
        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_vm_inspect(name, &vm);
        if (r < 0) {
                vmm_err("inspecting VM '%s': %s", name, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        if (vm.state == VMM_STATE_STOPPED)
                return VMM_EXIT_OK;
        if (vm.state != VMM_STATE_CRASHED && !vmm_force_end(&vm, NULL, 0, thatte_now_ms() + 5000)) {
                vmm_err("VM '%s' survived SIGKILL for 5 s", name);
                return VMM_EXIT_FAIL;
        }
        vmm_finish(&vm);
        return VMM_EXIT_OK;
}
