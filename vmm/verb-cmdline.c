/* vmm/verb-cmdline.c: `cmdline PROFILE`: print the QEMU argv that `start`
 * would run, one argument per line (the profile validator guarantees no
 * argument contains a newline). */
#include "config.h"

#include "vmm.h"

int vmm_verb_cmdline(const vmm_cmd *c)
{
        vmm_profile *p;
        vmm_plan plan;
        int r = vmm_cli_profile(c, &p);

        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_cli_plan(c, p, false, false, &plan);
        if (r == VMM_EXIT_OK) {
                for (size_t i = 0; i < plan.argv.n; i++)
                        puts(plan.argv.v[i]);
                vmm_strv_free(&plan.argv);
        }
        vmm_profile_free(p);
        return r;
}
