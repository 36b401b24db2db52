/* vmm/verb-stop.c: `stop NAME [--timeout S] [--force]`. */
#include "config.h"

#include "stopping.h"
#include "vmm.h"

int vmm_verb_stop(const vmm_cmd *c)
{
        vmm_profile *p;
        char name[VMM_NAME_MAX + 1];
        int timeout, r;

        r = vmm_cli_name(c, name, sizeof(name), &p);
        if (r != VMM_EXIT_OK)
                return r;
        timeout = c->timeout > 0 ? c->timeout : p ? (int)p->stop_timeout : 30;
        vmm_profile_free(p);
        return vmm_stop_vm(name, timeout, c->force);
}
