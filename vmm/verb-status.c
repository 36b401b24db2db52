/* vmm/verb-status.c: `status NAME [--json]`. Exit status 0 when the VM
 * runs (or is paused), 1 otherwise, so scripts can test it. */
#include "config.h"

#include <stdio.h>

#include "status-json.h"
#include "vmm.h"

static void print_text(const char *name, const vmm_status *s)
{
        printf("%s: %s", name, vmm_state_name(s->state));
        if (s->pid)
                printf(" (pid %d", s->pid);
        if (s->pid && s->accel)
                printf(", %s", s->accel);
        if (s->pid && s->uptime >= 0)
                printf(", up %lld s", s->uptime);
        if (s->pid && s->display)
                printf(", display %s %dx%d", s->display, s->width, s->height);
        printf("%s", s->pid ? ")" : "");
        if (s->system)
                printf(", system %s", s->system);
        putchar('\n');
}

int vmm_verb_status(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        vmm_status s;
        vmm_vm vm;
        int r;

        r = vmm_cli_vm(c, false, name, sizeof(name), &vm);
        if (r != VMM_EXIT_OK)
                return r;
        vmm_status_query(&vm, &s);
        if (s.qmp_silent)
                vmm_err("VM '%s' does not answer on its QMP socket within 2 s (another thatte-vmm is using it, "
                        "or QEMU is stuck): accel and display unknown", name);
        if (c->json) {
                json_object *o = vmm_status_json(name, &s);

                puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
                json_object_put(o);
        } else {
                print_text(name, &s);
        }
        return s.state == VMM_STATE_RUNNING || s.state == VMM_STATE_PAUSED ? VMM_EXIT_OK : VMM_EXIT_FAIL;
}
