/* vmm/verb-save.c: `save NAME FILE [--json]`: the running VM's whole state
 * (devices, memory, the profile it came from) into FILE, then the VM ends.
 *
 * QEMU migrates into a pipe thatte-vmm passes over QMP (getfd); thatte-vmm
 * copies the stream into a temporary file next to FILE, checksumming it,
 * and renames it into place only once QEMU reports the migration complete.
 * Any failure or interruption (SIGINT, SIGTERM, SIGHUP) cancels the
 * migration, resumes the VM if it was running, and leaves no FILE. */
#define _GNU_SOURCE 1   /* pipe2, F_SETPIPE_SZ */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "atomic-file.h"
#include "migrate.h"
#include "paths.h"
#include "record.h"
#include "stopping.h"
#include "vmm.h"

#define FD_NAME "thatte-save"
#define PIPE_SIZE (1 << 20)

typedef struct save_ctx {
        vmm_vm vm;
        vmm_profile *p;
        vmm_record rec;
        char statedir[4096];
        thatte_qmp *q;
        int sigfd;
        char why[512];
} save_ctx;

/* Copies the stream from the pipe into out until QEMU closes it; -EINTR
 * when a signal asks us to stop. */
static int copy_stream(save_ctx *s, int in, int out)
{
        static char buf[1 << 16];
        struct pollfd p[2] = { { .fd = in, .events = POLLIN }, { .fd = s->sigfd, .events = POLLIN } };

        for (;;) {
                ssize_t n;
                int r;

                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (p[1].revents)
                        return -EINTR;
                n = read(in, buf, sizeof(buf));
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n <= 0)
                        return n < 0 ? -errno : 0;
                r = vmm_write_all(out, buf, (size_t)n);
                if (r < 0)
                        return r;
                s->rec.checksum = vmm_fnv(s->rec.checksum, buf, (size_t)n);
                s->rec.stream_len += (unsigned long long)n;
        }
}

static int start_migration(save_ctx *s, int wr)
{
        json_object *args = json_object_new_object();
        int r;

        /* QEMU's default cap (128 MiB/s) only slows a save to a local file. */
        json_object_object_add(args, "max-bandwidth", json_object_new_int64(1LL << 40));
        r = thatte_qmp_execute(s->q, "migrate-set-parameters", args, NULL, 5000);
        r = r ?: vmm_migrate_fd(s->q, "migrate", FD_NAME, wr);
        if (r == -EREMOTEIO)
                snprintf(s->why, sizeof(s->why), "%s", thatte_qmp_last_error(s->q));
        return r;
}

/* Pauses the VM and streams its state into fd. */
static int stream_state(save_ctx *s, int fd)
{
        int pipefd[2], r;

        if (s->rec.running) {
                r = thatte_qmp_execute(s->q, "stop", NULL, NULL, 5000);
                if (r < 0)
                        return r;
        }
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        (void)fcntl(pipefd[0], F_SETPIPE_SZ, PIPE_SIZE);
        r = start_migration(s, pipefd[1]);
        close(pipefd[1]);
        if (r == 0)
                r = copy_stream(s, pipefd[0], fd);
        close(pipefd[0]);       /* QEMU's writes now fail if it still streams */
        if (r == 0)
                r = vmm_migrate_wait(s->q, thatte_now_ms() + 30000, s->why, sizeof(s->why));
        return r;
}

/* After a failure: the migration cancelled, the VM as it was. */
static void undo(save_ctx *s)
{
        char why[256];

        (void)thatte_qmp_execute(s->q, "migrate_cancel", NULL, NULL, 5000);
        (void)vmm_migrate_wait(s->q, thatte_now_ms() + 10000, why, sizeof(why));
        if (s->rec.running && thatte_qmp_execute(s->q, "cont", NULL, NULL, 5000) < 0)
                vmm_err("VM '%s' could not be resumed: %s", s->vm.name, thatte_qmp_last_error(s->q));
}

static int record_overlays(save_ctx *s)
{
        s->rec.n_disks = 0;
        for (size_t i = 0; i < s->p->n_disks; i++) {
                int r;

                if (!vmm_disk_overlaid(&s->p->disks[i]))
                        continue;
                r = vmm_record_overlay(s->statedir, (unsigned)i, &s->rec.disks[s->rec.n_disks++]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Writes FILE; on success the VM is paused after a completed migration. */
static int write_state(save_ctx *s, const char *file)
{
        struct thatte_atomic_file *f = NULL;
        int r;

        r = thatte_atomic_file_open(file, 0600, &f);
        if (r < 0) {
                vmm_err("creating %s: %s", file, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        r = record_overlays(s);
        r = r ?: vmm_record_write_header(f->fd, &s->rec);
        s->rec.checksum = VMM_FNV_INIT;
        r = r ?: stream_state(s, f->fd);
        r = r ?: record_overlays(s);
        r = r ?: vmm_record_finish_header(f->fd, &s->rec);
        r = r ?: thatte_atomic_file_commit(f);
        thatte_atomic_file_free(f);
        if (r < 0) {
                undo(s);
                vmm_err("saving VM '%s' to %s: %s; the VM keeps running", s->vm.name, file,
                        r == -EINTR ? "interrupted" : *s->why ? s->why : strerror(-r));
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

/* What the VM was started from, and whether it can be saved at all. */
static int load_origin(save_ctx *s)
{
        thatte_toml_error err = { 0 };
        int r;

        r = vmm_record_read_launch(s->vm.rundir, &s->rec);
        if (r < 0) {
                vmm_err("VM '%s': no usable record of its profile in %s (%s)", s->vm.name, s->vm.rundir,
                        strerror(-r));
                return VMM_EXIT_FAIL;
        }
        r = vmm_profile_parse(s->rec.profile, s->rec.profile_len, s->rec.file, s->rec.dir, &s->p, &err);
        if (r < 0) {
                vmm_err("VM '%s': its profile %s no longer loads: %s", s->vm.name, s->rec.file, err.message);
                return VMM_EXIT_FAIL;
        }
        /* QEMU refuses both only after trying; say so at once, and why. */
        if (s->p->n_shares > 0) {
                vmm_err("VM '%s' shares %s with the guest (9p tag '%s'): a mounted 9p folder cannot be saved, "
                        "its files live on the host; stop the VM instead", s->vm.name, s->p->shares[0].path,
                        s->p->shares[0].tag);
                return VMM_EXIT_FAIL;
        }
        if (s->p->n_channels > 0) {
                vmm_err("VM '%s' maps display channel '%s', memory it shares with other VMs: its state is not "
                        "the VM's alone to save; stop the VM instead", s->vm.name, s->p->channels[0].name);
                return VMM_EXIT_FAIL;
        }
        for (size_t i = 0; i < s->p->n_disks; i++)
                if (s->p->disks[i].snapshot) {
                        vmm_err("VM '%s': disk %zu is a snapshot whose writes end with QEMU; "
                                "a saved state could not find them again", s->vm.name, i);
                        return VMM_EXIT_FAIL;
                }
        snprintf(s->rec.name, sizeof(s->rec.name), "%.*s", VMM_NAME_MAX, s->vm.name);
        if (vmm_state_dir(s->vm.name, s->statedir, sizeof(s->statedir)) < 0) {
                vmm_err("VM '%s': no state folder", s->vm.name);
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

static int connect_vm(save_ctx *s)
{
        char state[64];
        int r;

        r = vmm_cli_qmp(&s->vm, 5000, &s->q);
        if (r < 0)
                return VMM_EXIT_FAIL;
        r = vmm_qmp_run_state(s->q, state, sizeof(state));
        if (r < 0) {
                vmm_err("VM '%s': QMP: %s", s->vm.name, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        if (strcmp(state, "running") && strcmp(state, "paused")) {
                vmm_err("VM '%s' is %s; only a running or paused VM can be saved", s->vm.name, state);
                return VMM_EXIT_FAIL;
        }
        s->rec.running = strcmp(state, "running") == 0;
        return VMM_EXIT_OK;
}

static void print_result(const save_ctx *s, const char *file, long long ms)
{
        json_object *o = json_object_new_object();
        char seconds[32];

        snprintf(seconds, sizeof(seconds), "%.3f", ms / 1000.0);
        json_object_object_add(o, "name", json_object_new_string(s->vm.name));
        json_object_object_add(o, "file", json_object_new_string(file));
        json_object_object_add(o, "bytes", json_object_new_int64((int64_t)s->rec.stream_len));
        json_object_object_add(o, "seconds", json_object_new_double_s(ms / 1000.0, seconds));
        vmm_print_json(o);
}

int vmm_verb_save(const vmm_cmd *c)
{
        save_ctx s = { .sigfd = -1 };
        char name[VMM_NAME_MAX + 1];
        long long start = thatte_now_ms();
        sigset_t old;
        int r;

        r = vmm_cli_vm(c, true, name, sizeof(name), &s.vm);
        r = r ?: load_origin(&s);
        r = r ?: connect_vm(&s);
        if (r == VMM_EXIT_OK) {
                s.sigfd = vmm_signalfd_block(&old);
                r = s.sigfd < 0 ? VMM_EXIT_FAIL : write_state(&s, c->arg);
        }
        if (r == VMM_EXIT_OK) {
                long long now = thatte_now_ms();

                /* The state is on disk: this QEMU's part is over. */
                if (vmm_force_end(&s.vm, s.q, now + 5000, now + 10000))
                        vmm_finish(&s.vm);
                if (c->json)
                        print_result(&s, c->arg, thatte_now_ms() - start);
        }
        if (s.sigfd >= 0) {
                close(s.sigfd);
                (void)sigprocmask(SIG_SETMASK, &old, NULL);
        }
        thatte_qmp_free(s.q);
        vmm_profile_free(s.p);
        vmm_record_done(&s.rec);
        return r;
}
