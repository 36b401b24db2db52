/* vmm/verb-start.c: `start PROFILE`: boot in the background and return
 * once QMP answers. */
#include "config.h"

#include "launch.h"
#include "vmm.h"

int vmm_verb_start(const vmm_cmd *c)
{
        vmm_profile *p;
        vmm_plan plan;
        vmm_vm vm;
        int r;

        r = vmm_cli_profile(c, &p);
        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_cli_plan(c, p, false, true, &plan);
        if (r == VMM_EXIT_OK) {
                r = vmm_launch_vm(p, &plan, &vm);
                vmm_strv_free(&plan.argv);
        }
        vmm_profile_free(p);
        return r;
}
