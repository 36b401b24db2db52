/* vmm/verb-reset.c: `reset NAME`: a stopped VM's disks back to their base
 * images: the qcow2 overlays (and the snapshots in them) go, and the next
 * start makes new, empty ones. The OVMF variables and the log stay. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "held.h"
#include "vmm.h"

int vmm_verb_reset(const vmm_cmd *c)
{
        char paths[VMM_MAX_DISKS][4200];
        vmm_held h;
        size_t n;
        int r = vmm_hold_stopped(c, &h);

        if (r != VMM_EXIT_OK)
                return r;
        n = vmm_held_overlays(&h, paths, VMM_MAX_DISKS);
        for (size_t i = 0; i < n && r == VMM_EXIT_OK; i++)
                if (unlink(paths[i]) < 0) {
                        vmm_err("removing %s: %s", paths[i], strerror(errno));
                        r = VMM_EXIT_FAIL;
                }
        vmm_release(&h);
        if (r == VMM_EXIT_OK)
                vmm_confirm(c, "%s: %zu disk overlay%s reset", h.name, n, n == 1 ? "" : "s");
        return r;
}
