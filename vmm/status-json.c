/* vmm/status-json.c: collecting a VM's status (QMP query-status,
 * query-kvm, QOM properties of the display device) and shaping it as JSON. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "status-json.h"
#include "thatte-qmp.h"

static json_object *int_or_null(long long v, int known)
{
        return known ? json_object_new_int64(v) : NULL;
}

json_object *vmm_status_json(const char *name, const vmm_status *s)
{
        json_object *o = json_object_new_object(), *d = NULL;

        if (!o)
                return NULL;
        json_object_object_add(o, "name", json_object_new_string(name));
        json_object_object_add(o, "state", json_object_new_string(vmm_state_name(s->state)));
        json_object_object_add(o, "pid", int_or_null(s->pid, s->pid > 0));
        json_object_object_add(o, "accel", s->accel ? json_object_new_string(s->accel) : NULL);
        json_object_object_add(o, "uptime", int_or_null(s->uptime, s->uptime >= 0));
        if (s->display) {
                d = json_object_new_object();
                json_object_object_add(d, "device", json_object_new_string(s->display));
                json_object_object_add(d, "width", int_or_null(s->width, s->width > 0));
                json_object_object_add(d, "height", int_or_null(s->height, s->height > 0));
        }
        json_object_object_add(o, "display", d);
        json_object_object_add(o, "system", s->system ? json_object_new_string(s->system) : NULL);
        return o;
}

const char *vmm_status_system(const vmm_vm *vm, char *buf, size_t size)
{
        char path[4096];

        if (vmm_vm_system(vm, path, sizeof(path)) < 0)
                return NULL;
        vmm_system_name(path, buf, size);
        return buf;
}

/* Reads an integer or string QOM property of the display device. */
static json_object *qom_get(thatte_qmp *q, const char *property)
{
        json_object *args = json_object_new_object(), *ret = NULL;

        json_object_object_add(args, "path", json_object_new_string("/machine/peripheral/gpu0"));
        json_object_object_add(args, "property", json_object_new_string(property));
        if (thatte_qmp_execute(q, "qom-get", args, &ret, 2000) < 0)
                return NULL;
        return ret;
}

static void query_display(thatte_qmp *q, vmm_status *s)
{
        static char device[64];
        json_object *v = qom_get(q, "type");

        if (!v)
                return;
        snprintf(device, sizeof(device), "%s", json_object_get_string(v));
        s->display = device;
        json_object_put(v);
        if ((v = qom_get(q, "xres"))) {
                s->width = json_object_get_int(v);
                json_object_put(v);
        }
        if ((v = qom_get(q, "yres"))) {
                s->height = json_object_get_int(v);
                json_object_put(v);
        }
}

static void query_qemu(const vmm_vm *vm, vmm_status *s)
{
        json_object *ret, *v;
        thatte_qmp *q;
        char path[4200];

        vmm_vm_path(vm, "qmp.sock", path, sizeof(path));
        if (thatte_qmp_connect(path, 2000, &q) < 0) {
                s->qmp_silent = true;
                return;
        }
        if (thatte_qmp_execute(q, "query-status", NULL, &ret, 2000) == 0) {
                if (json_object_object_get_ex(ret, "running", &v) && !json_object_get_boolean(v))
                        s->state = VMM_STATE_PAUSED;
                /* A guest QEMU stopped on an emulation error or a guest
                 * panic will not resume: report it as crashed. */
                if (json_object_object_get_ex(ret, "status", &v) &&
                    (strcmp(json_object_get_string(v), "internal-error") == 0 ||
                     strcmp(json_object_get_string(v), "guest-panicked") == 0))
                        s->state = VMM_STATE_CRASHED;
                json_object_put(ret);
        }
        if (thatte_qmp_execute(q, "query-kvm", NULL, &ret, 2000) == 0) {
                s->accel = json_object_object_get_ex(ret, "enabled", &v) && json_object_get_boolean(v) ?
                        "kvm" : "tcg";
                json_object_put(ret);
        }
        query_display(q, s);
        thatte_qmp_free(q);
}

void vmm_status_query(const vmm_vm *vm, vmm_status *s)
{
        static char system[256];
        char path[4200];
        struct stat st;

        memset(s, 0, sizeof(*s));
        s->state = vm->state;
        s->uptime = -1;
        if (vm->state != VMM_STATE_STOPPED)
                s->system = vmm_status_system(vm, system, sizeof(system));
        if (vm->state != VMM_STATE_RUNNING)
                return;
        s->pid = vm->pid;
        vmm_vm_path(vm, "pid", path, sizeof(path));
        if (stat(path, &st) == 0)
                s->uptime = (long long)(time(NULL) - st.st_mtime);
        query_qemu(vm, s);
}
