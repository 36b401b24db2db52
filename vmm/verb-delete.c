/* vmm/verb-delete.c: `delete NAME`: removes a stopped VM's state folder
 * (OVMF variables, disk overlays and their snapshots, the serial log) and
 * any runtime leftovers; the profile stays. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "held.h"
#include "vmm.h"

/* The state folder holds files only: anything else is not ours to remove. */
static int remove_state(const char *dir)
{
        struct dirent *de;
        DIR *d = opendir(dir);
        int r = 0;

        if (!d)
                return errno == ENOENT ? 1 : -errno;
        while ((de = readdir(d)) && r == 0) {
                char path[4400];

                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                if (unlink(path) < 0)
                        r = -errno;
        }
        closedir(d);
        if (r == 0 && rmdir(dir) < 0)
                r = -errno;
        return r;
}

int vmm_verb_delete(const vmm_cmd *c)
{
        vmm_held h;
        int r = vmm_hold_stopped(c, &h);

        if (r != VMM_EXIT_OK)
                return r;
        r = remove_state(h.statedir);
        vmm_release(&h);
        if (r < 0) {
                vmm_err("deleting %s: %s", h.statedir, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        if (r == 1)
                vmm_confirm(c, "%s: no state to delete", h.name);
        else
                vmm_confirm(c, "%s: deleted %s", h.name, h.statedir);
        return VMM_EXIT_OK;
}
