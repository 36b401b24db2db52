/* vmm/held.c: see held.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "held.h"
#include "paths.h"
#include "thatte-dirs.h"
#include "vmm.h"

static int folders(vmm_held *h)
{
        if (vmm_runtime_dir(h->name, h->rundir, sizeof(h->rundir)) < 0) {
                vmm_err("XDG_RUNTIME_DIR is not set: no place for the VM's lock");
                return VMM_EXIT_FAIL;
        }
        if (vmm_state_dir(h->name, h->statedir, sizeof(h->statedir)) < 0) {
                vmm_err("no state folder: neither XDG_STATE_HOME nor HOME is set");
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

int vmm_hold_stopped(const vmm_cmd *c, vmm_held *h)
{
        char lock[4200];
        int r;

        h->lock_fd = -1;
        r = vmm_cli_known(c, h->name, sizeof(h->name));
        r = r ?: folders(h);
        if (r != VMM_EXIT_OK)
                return r;
        r = thatte_mkdir_private(h->rundir);
        if (r < 0) {
                vmm_err("runtime folder %s: %s", h->rundir, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        snprintf(lock, sizeof(lock), "%s/lock", h->rundir);
        r = thatte_lock_take(lock, &h->lock_fd);
        if (r == -EBUSY) {
                vmm_err("VM '%s' is running (or being started or stopped); stop it first", h->name);
                return VMM_EXIT_FAIL;
        }
        if (r < 0) {
                vmm_err("locking %s: %s", lock, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

void vmm_release(vmm_held *h)
{
        /* Like start, the lock holder may clear a crashed VM's leftovers. */
        (void)vmm_vm_cleanup(h->rundir);
        if (h->lock_fd >= 0)
                close(h->lock_fd);
        h->lock_fd = -1;
}

size_t vmm_held_overlays(const vmm_held *h, char (*paths)[4200], size_t max)
{
        size_t n = 0;

        for (size_t i = 0; i < VMM_MAX_DISKS && n < max; i++) {
                snprintf(paths[n], sizeof(paths[n]), "%s/disk%zu.qcow2", h->statedir, i);
                if (access(paths[n], F_OK) == 0)
                        n++;
        }
        return n;
}
