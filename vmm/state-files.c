/* vmm/state-files.c: persistent per-VM files: the OVMF variable store and
 * the qcow2 overlays that keep base images unwritten. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "atomic-file.h"
#include "launch.h"
#include "paths.h"
#include "spawn.h"
#include "thatte-dirs.h"

static int copy_fd(int in, int out)
{
        char buf[65536];
        ssize_t n;

        while ((n = read(in, buf, sizeof(buf))) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                for (ssize_t off = 0; off < n;) {
                        ssize_t w = write(out, buf + off, (size_t)(n - off));

                        if (w < 0 && errno != EINTR)
                                return -errno;
                        off += w > 0 ? w : 0;
                }
        }
        return 0;
}

/* Copies src to dst through a temporary file in dst's folder, so dst is
 * whole or absent. */
static int copy_atomic(const char *src, const char *dst)
{
        struct thatte_atomic_file *f = NULL;
        int in, r;

        in = open(src, O_RDONLY | O_CLOEXEC);
        if (in < 0)
                return -errno;
        r = thatte_atomic_file_open(dst, 0600, &f);
        if (r == 0)
                r = copy_fd(in, f->fd);
        if (r == 0)
                r = thatte_atomic_file_commit(f);
        thatte_atomic_file_free(f);
        close(in);
        return r;
}

static int make_overlay(const vmm_disk *d, const char *overlay)
{
        char tmp[4300];
        const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", "-F",
                               d->format == VMM_FORMAT_QCOW2 ? "qcow2" : "raw", "-b", d->path, tmp, NULL };
        int r, status;

        snprintf(tmp, sizeof(tmp), "%s.tmp", overlay);
        r = thatte_spawn_wait(argv, THATTE_SPAWN_NULL_STDIN | THATTE_SPAWN_NULL_STDOUT, &status);
        if (r == 0 && status != 0)
                r = -EIO;
        if (r == 0 && chmod(tmp, 0600) < 0)
                r = -errno;
        if (r == 0 && rename(tmp, overlay) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}

int vmm_prepare_state(const vmm_profile *p, const vmm_plan *plan)
{
        const char *vars = vmm_arch_fw_vars(p->arch);
        char path[4200];
        int r = thatte_mkdir_private(plan->statedir);

        if (r < 0) {
                vmm_err("state folder %s: %s", plan->statedir, r == -EPERM ?
                        "not a private folder owned by you" : strerror(-r));
                return VMM_EXIT_FAIL;
        }
        snprintf(path, sizeof(path), "%s/%s", plan->statedir, vmm_arch_vars_file(p->arch));
        if (p->firmware == VMM_FW_OVMF && access(path, F_OK) < 0 && (r = copy_atomic(vars, path)) < 0) {
                vmm_err("copying the UEFI variable store %s: %s (Debian package %s)", vars, strerror(-r),
                        vmm_arch_fw_package(p->arch));
                return VMM_EXIT_FAIL;
        }
        for (size_t i = 0; i < p->n_disks; i++) {
                if (!vmm_disk_overlaid(&p->disks[i]))
                        continue;
                snprintf(path, sizeof(path), "%s/disk%zu.qcow2", plan->statedir, i);
                if (access(path, F_OK) == 0)
                        continue;
                r = make_overlay(&p->disks[i], path);
                if (r < 0) {
                        vmm_err("creating overlay %s with qemu-img (Debian package qemu-utils) failed", path);
                        return VMM_EXIT_FAIL;
                }
        }
        return VMM_EXIT_OK;
}
