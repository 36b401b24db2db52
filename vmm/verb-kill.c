/* vmm/verb-kill.c: `kill NAME`: SIGKILL QEMU now, then clean up. */
#include "config.h"

#include "stopping.h"
#include "vmm.h"

int vmm_verb_kill(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        vmm_vm vm;
        int r;

        r = vmm_cli_vm(c, false, name, sizeof(name), &vm);
        if (r != VMM_EXIT_OK)
                return r;
        if (vm.state == VMM_STATE_STOPPED)
                return VMM_EXIT_OK;
        if (vm.state != VMM_STATE_CRASHED && !vmm_force_end(&vm, NULL, 0, thatte_now_ms() + 5000)) {
                vmm_err("VM '%s' survived SIGKILL for 5 s", name);
                return VMM_EXIT_FAIL;
        }
        vmm_finish(&vm);
        vmm_confirm(c, "%s: killed", name);
        return VMM_EXIT_OK;
}
