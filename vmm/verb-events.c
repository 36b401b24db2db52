/* vmm/verb-events.c: `events NAME [--follow]`: the VM's QMP events as JSON
 * lines, {"timestamp", "event", "data"}, until the VM ends or the user
 * interrupts. They come from the VM's second monitor (events.sock), so the
 * other verbs keep theirs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "serial.h"
#include "thatte-qmp.h"
#include "vmm.h"

#define FOLLOW_POLL_US 100000

/* QEMU's {"seconds", "microseconds"} as "YYYY-MM-DDTHH:MM:SS.uuuuuuZ". */
static json_object *timestamp(json_object *ev)
{
        json_object *ts, *v;
        long long sec = 0, usec = 0;
        char buf[64];
        struct tm tm;
        time_t t;

        if (json_object_object_get_ex(ev, "timestamp", &ts)) {
                if (json_object_object_get_ex(ts, "seconds", &v))
                        sec = json_object_get_int64(v);
                if (json_object_object_get_ex(ts, "microseconds", &v))
                        usec = json_object_get_int64(v);
        }
        t = (time_t)sec;
        if (!gmtime_r(&t, &tm))
                return NULL;
        snprintf(buf + strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm), 16, ".%06lldZ", usec);
        return json_object_new_string(buf);
}

static void print_event(json_object *ev)
{
        json_object *o = json_object_new_object(), *name, *data;

        if (!o)
                return;
        json_object_object_add(o, "timestamp", timestamp(ev));
        json_object_object_add(o, "event", json_object_object_get_ex(ev, "event", &name) ?
                               json_object_get(name) : NULL);
        json_object_object_add(o, "data", json_object_object_get_ex(ev, "data", &data) ?
                               json_object_get(data) : json_object_new_object());
        vmm_print_json(o);
}

/* Takes the listener lock and connects to the events monitor; with
 * follow, waits until the VM runs. */
static int attach(const char *name, bool follow, thatte_qmp **ret, int *ret_lock)
{
        char path[4200];
        vmm_vm vm;
        int r;

        for (;;) {
                r = vmm_vm_inspect(name, &vm);
                if (r < 0) {
                        vmm_err("inspecting VM '%s': %s", name, strerror(-r));
                        return VMM_EXIT_FAIL;
                }
                if (vm.state == VMM_STATE_RUNNING) {
                        r = vmm_client_lock(&vm, "events.lock", true, ret_lock);
                        if (r == -EBUSY) {
                                vmm_err("VM '%s': another 'events' listener is attached (one at a time, "
                                        "like console)", name);
                                return VMM_EXIT_FAIL;
                        }
                        vmm_vm_path(&vm, "events.sock", path, sizeof(path));
                        if (r == 0 && (r = thatte_qmp_connect(path, 5000, ret)) == 0)
                                return VMM_EXIT_OK;
                        if (*ret_lock >= 0)
                                close(*ret_lock);
                        *ret_lock = -1;
                }
                if (!follow) {
                        vmm_err("VM '%s' is not running%s", name,
                                vm.state == VMM_STATE_RUNNING ? " (its events socket does not answer)" : "");
                        return VMM_EXIT_FAIL;
                }
                usleep(FOLLOW_POLL_US);
        }
}

int vmm_verb_events(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        vmm_profile *p;
        thatte_qmp *q;
        int r, lock = -1;

        r = vmm_cli_name(c, name, sizeof(name), &p);
        vmm_profile_free(p);
        if (r != VMM_EXIT_OK)
                return r;
        r = attach(name, c->follow, &q, &lock);
        if (r != VMM_EXIT_OK)
                return r;
        for (;;) {
                json_object *ev;
                int e = thatte_qmp_next_event(q, -1, &ev);

                if (e < 0) {
                        if (e != -ECONNRESET) {
                                vmm_err("reading events of VM '%s': %s", name, strerror(-e));
                                r = VMM_EXIT_FAIL;
                        }
                        break;
                }
                print_event(ev);
                json_object_put(ev);
        }
        thatte_qmp_free(q);
        close(lock);
        return r;
}
