/* vmm/verb-stop.c: `stop NAME [--timeout S] [--force] [--json]`. */
#include "config.h"

#include <string.h>

#include <json-c/json.h>

#include "stopping.h"
#include "vmm.h"

int vmm_verb_stop(const vmm_cmd *c)
{
        const char *how = "failed";
        vmm_profile *p;
        char name[VMM_NAME_MAX + 1];
        int timeout, r;

        r = vmm_cli_name(c, name, sizeof(name), &p);
        if (r != VMM_EXIT_OK)
                return r;
        timeout = c->timeout > 0 ? c->timeout : p ? (int)p->stop_timeout : 30;
        vmm_profile_free(p);
        r = vmm_stop_vm(name, timeout, c->force, &how);
        if (r == VMM_EXIT_OK)
                vmm_confirm(c, "%s: %s", name, strcmp(how, "not-running") == 0 ? "was not running" :
                            strcmp(how, "powerdown") == 0 ? "stopped (powered down)" :
                            strcmp(how, "forced") == 0 ? "stopped (forced)" : "stopped (stale files removed)");
        if (c->json) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "name", json_object_new_string(name));
                json_object_object_add(o, "stopped", json_object_new_boolean(r == VMM_EXIT_OK));
                json_object_object_add(o, "how", json_object_new_string(how));
                vmm_print_json(o);
        }
        return r;
}
