/* vmm/verb-delete.c: `delete NAME`: removes a stopped VM's state folder
 * (OVMF variables, disk overlays and their snapshots, the serial log) and
 * any runtime leftovers; the profile stays. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "held.h"
#include "vmm.h"

/* The state folder holds files only: anything else is not ours to remove.
 * Only a folder of ours that no one else may write counts: a link would
 * have us empty whatever it points to, and others' files are not state. */
static int remove_state(const char *dir)
{
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r = 0;
        struct dirent *de;
        struct stat st;
        DIR *d;

        if (fd < 0)
                return errno == ENOENT ? 1 : errno == ELOOP || errno == ENOTDIR ? -EPERM : -errno;
        if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
                close(fd);
                return -EPERM;
        }
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        while ((de = readdir(d)) && r == 0)
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && unlinkat(fd, de->d_name, 0) < 0)
                        r = -errno;
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
                vmm_err("deleting %s: %s", h.statedir,
                        r == -EPERM ? "not a folder of yours that only you may write" : strerror(-r));
                return VMM_EXIT_FAIL;
        }
        if (r == 1)
                vmm_confirm(c, "%s: no state to delete", h.name);
        else
                vmm_confirm(c, "%s: deleted %s", h.name, h.statedir);
        return VMM_EXIT_OK;
}
