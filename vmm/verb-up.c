/* vmm/verb-up.c: `up SYSTEM.toml [--json]`: starts the system's VMs in
 * order, each after the one before printed its ready marker. Everything is
 * checked before the first VM starts; a VM that fails to start or to get
 * ready stops every VM this `up` started, last first. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ready.h"
#include "status-json.h"
#include "stopping.h"
#include "system.h"
#include "vmm.h"

typedef struct up_ctx {
        const vmm_cmd *c;
        vmm_system *sys;
        vmm_profile *profiles[VMM_SYSTEM_MAX_VMS];
        size_t n_own[VMM_SYSTEM_MAX_VMS];       /* channels from the profile itself */
        size_t started;                 /* VMs 0..started-1 run */
        json_object *vms;               /* --json: one status per VM started */
} up_ctx;

/* Set by SIGINT, SIGTERM, SIGHUP: an interrupted up rolls back too. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
        (void)sig;
        interrupted = 1;
}

static void catch_signals(struct sigaction old[3])
{
        static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
        struct sigaction sa = { .sa_handler = on_signal };

        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < 3; i++)
                sigaction(sigs[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction old[3])
{
        static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };

        for (int i = 0; i < 3; i++)
                sigaction(sigs[i], &old[i], NULL);
}

/* A channel the system attaches has the size a profile of the system
 * gives it, else the default. */
static unsigned channel_size(const up_ctx *u, const char *name)
{
        for (size_t i = 0; i < u->sys->n_vms; i++)
                for (size_t j = 0; j < u->n_own[i]; j++)
                        if (strcmp(u->profiles[i]->channels[j].name, name) == 0)
                                return u->profiles[i]->channels[j].size_mib;
        return VMM_CHANNEL_SIZE_DEFAULT;
}

static int attach_channels(up_ctx *u, size_t i)
{
        const vmm_system_vm *v = &u->sys->vms[i];
        vmm_profile *p = u->profiles[i];
        int r = 0;

        for (size_t j = 0; j < v->n_channels && r == 0; j++)
                r = vmm_profile_add_channel(p, v->channels[j], channel_size(u, v->channels[j]));
        if (r == -E2BIG) {
                fprintf(stderr, "%s:%u: VM '%s' would have more than %d channels\n", u->sys->file, v->line,
                        p->name, VMM_MAX_CHANNELS);
                return VMM_EXIT_USAGE;
        }
        if (r < 0) {
                vmm_err("attaching channels to VM '%s': %s", p->name, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

/* Loads VM i's profile and checks it fits the system. */
static int load_vm(up_ctx *u, size_t i)
{
        const vmm_system_vm *v = &u->sys->vms[i];
        vmm_cmd pc = { .target = v->path ? v->path : v->profile, .timeout = -1, .accel = -1, .display = -1 };
        vmm_profile *p;
        int r = vmm_cli_profile(&pc, &p);

        if (r != VMM_EXIT_OK) {
                fprintf(stderr, "%s:%u: [[vm]] profile '%s' could not be loaded\n", u->sys->file, v->line,
                        v->profile);
                return r;
        }
        u->profiles[i] = p;
        u->n_own[i] = p->n_channels;
        if (v->ready && !p->serial) {
                fprintf(stderr, "%s:%u: ready needs a serial port, but VM '%s' has [serial] enabled = false\n",
                        u->sys->file, v->line, p->name);
                return VMM_EXIT_USAGE;
        }
        for (size_t j = 0; j < i; j++)
                if (strcmp(u->profiles[j]->name, p->name) == 0) {
                        fprintf(stderr, "%s:%u: VM '%s' is in the system twice\n", u->sys->file, v->line,
                                p->name);
                        return VMM_EXIT_USAGE;
                }
        return VMM_EXIT_OK;
}

/* Stops VMs started-1 .. 0, forced: they never got to be a system. */
static void roll_back(up_ctx *u)
{
        while (u->started > 0) {
                const vmm_profile *p = u->profiles[--u->started];

                vmm_err("system %s: stopping VM '%s'", u->sys->name, p->name);
                (void)vmm_stop_vm(p->name, (int)p->stop_timeout, true, NULL);
        }
}

static const char *ready_why(int r)
{
        if (r == -ETIMEDOUT)
                return "no ready marker within the timeout";
        if (r == -ECHILD)
                return "it stopped before its ready marker";
        if (r == -EINTR)
                return "interrupted while waiting for its ready marker";
        return strerror(-r);
}

/* Says that VM i runs (and printed its ready marker when `ready`): a
 * line on stdout, or with --json its status for the document. */
static void report_vm(up_ctx *u, size_t i, const vmm_vm *vm, bool ready)
{
        json_object *o;
        vmm_status s;

        if (!u->vms) {
                printf("%s: %s\n", vm->name, ready ? "ready" : "started");
                fflush(stdout);
                return;
        }
        vmm_status_query(vm, &s);
        o = vmm_status_json(vm->name, &s);
        json_object_object_add(o, "profile", json_object_new_string(u->sys->vms[i].profile));
        json_object_object_add(o, "ready", json_object_new_boolean(ready));
        json_object_array_add(u->vms, o);
}

/* The --json document: {"system", "file", "vms"}; puts u->vms. */
static void print_json(up_ctx *u)
{
        json_object *o = json_object_new_object();

        json_object_object_add(o, "system", json_object_new_string(u->sys->name));
        json_object_object_add(o, "file", json_object_new_string(u->sys->file));
        json_object_object_add(o, "vms", u->vms);
        u->vms = NULL;
        vmm_print_json(o);
}

static int start_vm(up_ctx *u, size_t i)
{
        const vmm_system_vm *v = &u->sys->vms[i];
        const vmm_profile *p = u->profiles[i];
        vmm_cmd sc = *u->c;
        vmm_vm vm;
        int r;

        sc.system = u->sys->file;
        r = vmm_cli_start(&sc, p, &vm);
        if (r != VMM_EXIT_OK) {
                vmm_err("system %s: VM '%s' (%s) failed to start (see above)", u->sys->name, p->name,
                        v->profile);
                return VMM_EXIT_FAIL;
        }
        u->started = i + 1;
        if (!v->ready) {
                report_vm(u, i, &vm, false);
                return VMM_EXIT_OK;
        }
        r = vmm_wait_ready(&vm, &v->ready_re, v->timeout, &interrupted);
        if (r < 0) {
                char log[4200];

                vmm_vm_log_path(&vm, log, sizeof(log));
                vmm_err("system %s: VM '%s' (%s) failed: %s ('%s', %u s); its serial log is kept in %s",
                        u->sys->name, p->name, v->profile, ready_why(r), v->ready, v->timeout, log);
                if (r == -ETIMEDOUT)
                        vmm_err("system %s: %s", u->sys->name, vmm_ready_advice(&vm));
                return VMM_EXIT_FAIL;
        }
        report_vm(u, i, &vm, true);
        return VMM_EXIT_OK;
}

int vmm_verb_up(const vmm_cmd *c)
{
        up_ctx u = { .c = c, .vms = c->json ? json_object_new_array() : NULL };
        struct sigaction old[3];
        int r = vmm_cli_system(c->target, &u.sys);

        for (size_t i = 0; r == VMM_EXIT_OK && i < u.sys->n_vms; i++)
                r = load_vm(&u, i);
        for (size_t i = 0; r == VMM_EXIT_OK && i < u.sys->n_vms; i++)
                r = attach_channels(&u, i);
        catch_signals(old);
        for (size_t i = 0; r == VMM_EXIT_OK && i < u.sys->n_vms; i++) {
                r = start_vm(&u, i);
                if (r == VMM_EXIT_OK && interrupted && i + 1 < u.sys->n_vms) {
                        vmm_err("system %s: interrupted after VM '%s'", u.sys->name, u.profiles[i]->name);
                        r = VMM_EXIT_FAIL;
                }
        }
        if (r != VMM_EXIT_OK && u.started > 0)
                roll_back(&u);
        if (r == VMM_EXIT_OK && u.vms)
                print_json(&u);
        json_object_put(u.vms);
        restore_signals(old);
        for (size_t i = 0; u.sys && i < u.sys->n_vms; i++)
                vmm_profile_free(u.profiles[i]);
        vmm_system_free(u.sys);
        return r;
}
