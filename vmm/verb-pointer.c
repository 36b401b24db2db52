/* vmm/verb-pointer.c: `pointer NAME ACTION... [--hold-time MS]`: relative
 * motion (move:DX,DY, for a mouse such as the PC's PS/2 one), absolute
 * positions (at:X,Y in percent, for a tablet: [display] input = true) and
 * buttons (click, press, release), through QMP input-send-event, in order,
 * a short pause after each step (input.c says why). Every action is
 * checked before the VM is looked up, and the VM must have a pointer of
 * the kind a move needs (QMP query-mice): QEMU would drop the events
 * silently. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input.h"
#include "vmm.h"

typedef struct plan {
        vmm_input_step *steps;
        int n;
        unsigned needs;
} plan;

static void plan_free(plan *p)
{
        for (int i = 0; i < p->n; i++)
                json_object_put(p->steps[i].events);
        free(p->steps);
}

/* Every action's steps, or a usage error printed. */
static int parse(const vmm_cmd *c, plan *p)
{
        int hold = c->hold_time > 0 ? c->hold_time : VMM_INPUT_HOLD_DEFAULT, cap;
        char why[200];

        if (c->argc < 1) {
                vmm_err("pointer NAME needs at least one ACTION: move:DX,DY, at:X,Y, click, press or release");
                return VMM_EXIT_USAGE;
        }
        if (c->argc > VMM_INPUT_MAX_ARGS) {
                vmm_err("pointer: more than %d actions in one call", VMM_INPUT_MAX_ARGS);
                return VMM_EXIT_USAGE;
        }
        cap = c->argc * VMM_INPUT_MAX_STEPS;
        p->steps = calloc((size_t)cap, sizeof(*p->steps));
        if (!p->steps) {
                vmm_err("pointer: out of memory");
                return VMM_EXIT_FAIL;
        }
        for (int i = 0; i < c->argc; i++) {
                if (vmm_input_pointer(c->argv[i], hold, p->steps, cap, &p->n, &p->needs, why, sizeof(why)) < 0) {
                        vmm_err("pointer: %s", why);
                        plan_free(p);
                        return VMM_EXIT_USAGE;
                }
        }
        return VMM_EXIT_OK;
}

/* Whether the VM has the pointers the plan needs; says why not. */
static int has_pointers(const vmm_vm *vm, thatte_qmp *q, unsigned needs)
{
        json_object *mice = NULL;
        bool rel = false, abs = false;
        int r = thatte_qmp_execute(q, "query-mice", NULL, &mice, 5000);

        if (r < 0) {
                vmm_err("query-mice: %s", r == -EREMOTEIO ? thatte_qmp_last_error(q) : strerror(-r));
                return r;
        }
        for (size_t i = 0; json_object_is_type(mice, json_type_array) && i < json_object_array_length(mice); i++) {
                json_object *a;

                if (json_object_object_get_ex(json_object_array_get_idx(mice, i), "absolute", &a) &&
                    json_object_get_boolean(a))
                        abs = true;
                else
                        rel = true;
        }
        json_object_put(mice);
        if (!rel && !abs) {
                vmm_err("VM '%s' has no pointer device", vm->name);
                return -ENODEV;
        }
        if ((needs & VMM_INPUT_NEEDS_REL) && !rel) {
                vmm_err("VM '%s' has only an absolute pointer (a tablet): use at:X,Y, not move", vm->name);
                return -ENODEV;
        }
        if ((needs & VMM_INPUT_NEEDS_ABS) && !abs) {
                vmm_err("VM '%s' has no absolute pointer (a tablet, [display] input = true): use move:DX,DY, "
                        "not at", vm->name);
                return -ENODEV;
        }
        return 0;
}

static int send(const vmm_vm *vm, plan *p)
{
        thatte_qmp *q = NULL;
        int r = vmm_cli_qmp(vm, 5000, &q);

        r = r ?: has_pointers(vm, q, p->needs);
        for (int i = 0; r == 0 && i < p->n; i++) {
                json_object *args = json_object_new_object();
                struct timespec pause = { p->steps[i].pause_ms / 1000, p->steps[i].pause_ms % 1000 * 1000000L };

                json_object_object_add(args, "events", p->steps[i].events);
                p->steps[i].events = NULL;
                r = thatte_qmp_execute(q, "input-send-event", args, NULL, 5000);
                if (r == -EREMOTEIO)
                        vmm_err("input-send-event: %s", thatte_qmp_last_error(q));
                else if (r < 0)
                        vmm_err("input-send-event: %s", strerror(-r));
                while (r == 0 && nanosleep(&pause, &pause) < 0 && errno == EINTR)
                        ;
        }
        if (q)
                thatte_qmp_free(q);
        return r;
}

int vmm_verb_pointer(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        plan p = { 0 };
        vmm_vm vm;
        int r = parse(c, &p);

        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_cli_vm(c, true, name, sizeof(name), &vm);
        if (r == VMM_EXIT_OK)
                r = send(&vm, &p) < 0 ? VMM_EXIT_FAIL : VMM_EXIT_OK;
        plan_free(&p);
        return r;
}
