/* vmm/verb-start.c: `start PROFILE [--json]`: boot in the background and
 * return once QMP answers (falling back to TCG when accel = "auto" finds
 * that KVM cannot run the guest). */
#include "config.h"

#include "status-json.h"
#include "vmm.h"

int vmm_verb_start(const vmm_cmd *c)
{
        vmm_profile *p;
        vmm_vm vm;
        int r;

        r = vmm_cli_profile(c, &p);
        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_cli_start(c, p, &vm);
        if (r == VMM_EXIT_OK && c->json) {
                vmm_status s;

                vmm_status_query(&vm, &s);
                vmm_print_json(vmm_status_json(vm.name, &s));
        }
        if (r == VMM_EXIT_OK)
                vmm_confirm(c, "%s: started (pid %d)", vm.name, (int)vm.pid);
        vmm_profile_free(p);
        return r;
}
