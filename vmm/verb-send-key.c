/* vmm/verb-send-key.c: `send-key NAME CHORD... [--hold-time MS]`: each
 * CHORD (QEMU qcodes joined by '-', as in ctrl-alt-delete) pressed
 * together, held MS, released, one after the other, through QMP send-key
 * (QEMU queues the releases, so the chords arrive in order). Like
 * `virsh send-key`, with QEMU's key names. Every chord is checked before
 * the VM is looked up: a bad one sends nothing. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "input.h"
#include "vmm.h"

/* Every chord's keys, or a usage error printed. */
static int parse(const vmm_cmd *c, json_object **chords)
{
        char why[160];

        if (c->argc < 1) {
                vmm_err("send-key NAME needs at least one KEY, as in ctrl-alt-delete or ret");
                return VMM_EXIT_USAGE;
        }
        if (c->argc > VMM_INPUT_MAX_ARGS) {
                vmm_err("send-key: more than %d chords in one call", VMM_INPUT_MAX_ARGS);
                return VMM_EXIT_USAGE;
        }
        for (int i = 0; i < c->argc; i++) {
                if (vmm_input_chord(c->argv[i], &chords[i], why, sizeof(why)) < 0) {
                        vmm_err("send-key: %s", why);
                        while (i-- > 0)
                                json_object_put(chords[i]);
                        return VMM_EXIT_USAGE;
                }
        }
        return VMM_EXIT_OK;
}

static int send(const vmm_vm *vm, json_object **chords, int n, int hold_ms)
{
        thatte_qmp *q = NULL;
        int i = 0, r = vmm_cli_qmp(vm, 5000, &q);

        for (; r == 0 && i < n; i++) {
                json_object *args = json_object_new_object();

                json_object_object_add(args, "keys", chords[i]);
                json_object_object_add(args, "hold-time", json_object_new_int(hold_ms));
                r = thatte_qmp_execute(q, "send-key", args, NULL, 5000);
                if (r == -EREMOTEIO)
                        vmm_err("send-key: %s", thatte_qmp_last_error(q));
                else if (r < 0)
                        vmm_err("send-key: %s", strerror(-r));
        }
        for (; i < n; i++)
                json_object_put(chords[i]);
        if (q)
                thatte_qmp_free(q);
        return r;
}

int vmm_verb_send_key(const vmm_cmd *c)
{
        json_object *chords[VMM_INPUT_MAX_ARGS];
        char name[VMM_NAME_MAX + 1];
        vmm_vm vm;
        int r = parse(c, chords);

        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_cli_vm(c, true, name, sizeof(name), &vm);
        if (r != VMM_EXIT_OK) {
                for (int i = 0; i < c->argc; i++)
                        json_object_put(chords[i]);
                return r;
        }
        return send(&vm, chords, c->argc, c->hold_time > 0 ? c->hold_time : VMM_INPUT_HOLD_DEFAULT) < 0
                       ? VMM_EXIT_FAIL : VMM_EXIT_OK;
}
