/* vmm/held.h: acting on a VM's state folder while the VM cannot start:
 * its lock held, as start holds it. */
#ifndef VMM_HELD_H
#define VMM_HELD_H

#include <stddef.h>

typedef struct vmm_held {
        char name[80];
        char rundir[4096];
        char statedir[4096];
        int lock_fd;
} vmm_held;

/* vmm_hold_stopped: the VM c->target names (a NAME, or a profile's [vm]
 * name), its folders, and its lock, refusing ("VM 'NAME' is running; stop
 * it first") when it runs. Prints its errors. Returns an exit status; on
 * success release with vmm_release. */
struct vmm_cmd;
int vmm_hold_stopped(const struct vmm_cmd *c, vmm_held *h);

/* vmm_release: drops the lock and the runtime folder it needed. */
void vmm_release(vmm_held *h);

/* vmm_held_overlays: the paths of the VM's qcow2 disk overlays
 * (statedir/diskN.qcow2 that exist) into paths[max]. Returns how many. */
size_t vmm_held_overlays(const vmm_held *h, char (*paths)[4200], size_t max);

#endif
