/* vmm/verb-restore.c: `restore FILE [--json]`: starts QEMU for the profile
 * saved in FILE, waiting for a migration (-incoming defer), feeds it the
 * saved stream through the open FILE (QMP getfd), and resumes the VM if it
 * was running. FILE is only ever read; it is checked whole (header, size,
 * checksum) before anything starts. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"
#include "migrate.h"
#include "paths.h"
#include "record.h"
#include "status-json.h"
#include "stopping.h"
#include "vmm.h"

#define FD_NAME "thatte-restore"
#define RESTORE_TIMEOUT_MS 300000

/* Opens FILE and checks it completely; prints why not. */
static int open_state(const char *file, int *ret_fd, vmm_record *rec)
{
        char why[256] = "";
        uint64_t h;
        int fd, r;

        fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                vmm_err("opening %s: %s", file, strerror(errno));
                return VMM_EXIT_FAIL;
        }
        r = vmm_record_read_state(fd, rec, why, sizeof(why));
        if (r == 0 && lseek(fd, rec->stream_offset, SEEK_SET) < 0)
                r = -errno;
        if (r == 0)
                r = vmm_record_checksum(fd, rec->stream_len, &h);
        if (r == 0 && h != rec->checksum) {
                snprintf(why, sizeof(why), "corrupt: the saved state does not match its checksum");
                r = -EBADMSG;
        }
        if (r < 0) {
                vmm_err("%s: %s; not restoring", file, *why ? why : strerror(-r));
                close(fd);
                return VMM_EXIT_FAIL;
        }
        *ret_fd = fd;
        return VMM_EXIT_OK;
}

/* The overlays must be exactly as the save left them. */
static int check_disks(const vmm_record *rec, const char *file)
{
        char statedir[4096];

        if (vmm_state_dir(rec->name, statedir, sizeof(statedir)) < 0) {
                vmm_err("VM '%s': no state folder", rec->name);
                return VMM_EXIT_FAIL;
        }
        for (size_t i = 0; i < rec->n_disks; i++) {
                const vmm_record_disk *want = &rec->disks[i];
                vmm_record_disk now;

                if (vmm_record_overlay(statedir, want->index, &now) < 0 || now.size != want->size ||
                    now.mtime_ns != want->mtime_ns) {
                        vmm_err("%s: the overlay of disk %u (%s/disk%u.qcow2) changed or vanished since "
                                "the save; restoring would not match it", file, want->index, statedir,
                                want->index);
                        return VMM_EXIT_FAIL;
                }
        }
        return VMM_EXIT_OK;
}

static int load_profile(const vmm_record *rec, const char *file, vmm_profile **ret)
{
        thatte_toml_error err = { 0 };
        int r;

        r = vmm_profile_parse(rec->profile, rec->profile_len, rec->file, rec->dir, ret, &err);
        if (r < 0) {
                if (err.line)
                        vmm_err("%s: the saved profile (%s) no longer loads: line %u: %s", file, rec->file,
                                err.line, err.message);
                else
                        vmm_err("%s: the saved profile (%s) no longer loads: %s", file, rec->file, err.message);
                return VMM_EXIT_FAIL;
        }
        if (strcmp((*ret)->name, rec->name)) {
                vmm_err("%s: malformed: the saved profile names another VM", file);
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

/* Feeds the stream to the waiting QEMU and resumes it. */
static int incoming(const vmm_vm *vm, int fd, const vmm_record *rec)
{
        char qmp[4200], why[512] = "";
        thatte_qmp *q = NULL;
        int r;

        vmm_vm_path(vm, "qmp.sock", qmp, sizeof(qmp));
        r = thatte_qmp_connect(qmp, 5000, &q);
        if (r == 0 && lseek(fd, rec->stream_offset, SEEK_SET) < 0)
                r = -errno;
        r = r ?: vmm_migrate_fd(q, "migrate-incoming", FD_NAME, fd);
        r = r ?: vmm_migrate_wait(q, thatte_now_ms() + RESTORE_TIMEOUT_MS, why, sizeof(why));
        if (r == 0 && rec->running)
                r = thatte_qmp_execute(q, "cont", NULL, NULL, 5000);
        if (r < 0) {
                vmm_err("restoring VM '%s': %s", vm->name, *why ? why : r == -EREMOTEIO ?
                        thatte_qmp_last_error(q) : r == -ECONNRESET ? "QEMU exited (see its log)" :
                        strerror(-r));
                (void)vmm_force_end(vm, q, thatte_now_ms() + 2000, thatte_now_ms() + 5000);
                vmm_finish(vm);
        }
        thatte_qmp_free(q);
        return r < 0 ? VMM_EXIT_FAIL : VMM_EXIT_OK;
}

static int launch(const vmm_cmd *c, const vmm_profile *p, const vmm_record *rec, int fd, vmm_vm *vm)
{
        vmm_cmd cc = *c;
        vmm_plan plan;
        int r;

        cc.accel = rec->accel;
        cc.incoming = true;
        r = vmm_cli_plan(&cc, p, true, false, &plan);
        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_launch_vm(p, &plan, vm);
        vmm_strv_free(&plan.argv);
        return r ?: incoming(vm, fd, rec);
}

int vmm_verb_restore(const vmm_cmd *c)
{
        vmm_record rec = { 0 };
        vmm_profile *p = NULL;
        vmm_vm vm;
        int fd = -1, r;

        r = open_state(c->target, &fd, &rec);
        r = r ?: check_disks(&rec, c->target);
        r = r ?: load_profile(&rec, c->target, &p);
        r = r ?: launch(c, p, &rec, fd, &vm);
        if (r == VMM_EXIT_OK && c->json) {
                vmm_status s;

                vmm_status_query(&vm, &s);
                vmm_print_json(vmm_status_json(vm.name, &s));
        }
        if (r == VMM_EXIT_OK)
                vmm_confirm(c, "%s: restored from %s (%s)", vm.name, c->target, rec.running ? "running" : "paused");
        if (fd >= 0)
                close(fd);
        vmm_profile_free(p);
        vmm_record_done(&rec);
        return r;
}
