/* vmm/verb-check.c: `check PROFILE`: load and validate, run nothing. */
#include "config.h"

#include "vmm.h"

int vmm_verb_check(const vmm_cmd *c)
{
        vmm_profile *p = NULL;
        int r = vmm_cli_profile(c, &p);

        if (r == VMM_EXIT_OK)
                printf("%s: ok (VM '%s')\n", p->file, p->name);
        vmm_profile_free(p);
        return r;
}
