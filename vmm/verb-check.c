/* vmm/verb-check.c: `check PROFILE [--json]`: load and validate, run
 * nothing. Problems go to stderr as FILE:LINE: message either way. */
#include "config.h"

#include <json-c/json.h>

#include "vmm.h"

int vmm_verb_check(const vmm_cmd *c)
{
        vmm_profile *p = NULL;
        int r = vmm_cli_profile(c, &p);

        if (c->json) {
                json_object *o = json_object_new_object();

                json_object_object_add(o, "profile", json_object_new_string(p ? p->file : c->target));
                json_object_object_add(o, "valid", json_object_new_boolean(r == VMM_EXIT_OK));
                json_object_object_add(o, "name", p ? json_object_new_string(p->name) : NULL);
                json_object_object_add(o, "error", r == VMM_EXIT_OK ? NULL :
                                       json_object_new_string(vmm_cli_last_error()));
                vmm_print_json(o);
        } else if (r == VMM_EXIT_OK) {
                printf("%s: ok (VM '%s')\n", p->file, p->name);
        }
        vmm_profile_free(p);
        return r;
}
