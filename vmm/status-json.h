/* vmm/status-json.h: a VM's status as a json-c object. */
#ifndef VMM_STATUS_JSON_H
#define VMM_STATUS_JSON_H

#include <stdbool.h>

#include <json-c/json.h>

#include "vmstate.h"

typedef struct vmm_status {
        vmm_state state;
        int pid;                /* 0 when not running */
        const char *accel;      /* "kvm", "tcg" or NULL */
        long long uptime;       /* seconds, -1 when unknown */
        const char *display;    /* QEMU device type, or NULL */
        int width, height;      /* 0 when unknown */
        const char *system;     /* the system's name (thatte-vmm up), or NULL */
        bool qmp_silent;        /* running, but QMP did not answer in time */
} vmm_status;

/* vmm_status_json: {"name", "state", "pid", "accel", "uptime", "display":
 * {"device", "width", "height"}, "system"}, unknown values as null. NULL when out of
 * memory; the caller puts the object. */
json_object *vmm_status_json(const char *name, const vmm_status *s);

/* vmm_status_system: the name of the system vm belongs to into buf (sized
 * 256 or more); returns buf, or NULL when it belongs to none. */
const char *vmm_status_system(const vmm_vm *vm, char *buf, size_t size);

/* vmm_status_query: fills s for vm, asking QEMU over QMP when it runs. */
void vmm_status_query(const vmm_vm *vm, vmm_status *s);

#endif
