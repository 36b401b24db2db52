/* vmm/cli.c: turning a command line's target into a profile, a name, and a
 * launch plan, with the error messages users see. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <json-c/json.h>

#include "accel.h"
#include "agent.h"
#include "arch.h"
#include "kvm-verdict.h"
#include "channel.h"
#include "display.h"
#include "paths.h"
#include "system.h"
#include "vmm.h"

/* A guest agent answers at once once thatte-init runs; a guest still
 * booting under TCG may need most of this. */
#define AGENT_HELLO_TIMEOUT_S 60

/* The last error printed, for JSON outputs that must carry it (check). */
static char last_error[1024];

const char *vmm_cli_last_error(void)
{
        return last_error;
}

void vmm_err(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(last_error, sizeof(last_error), fmt, ap);
        va_end(ap);
        fprintf(stderr, VMM_PROG ": %s\n", last_error);
}

void vmm_print_json(json_object *o)
{
        if (!o)
                return;
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        fflush(stdout);
        json_object_put(o);
}

int vmm_cli_find_profile(const vmm_cmd *c, char *path, size_t size)
{
        int r = vmm_find_profile(c->target, path, size);

        if (r == -EINVAL) {
                vmm_err("'%s' is neither a profile path nor a valid VM name", c->target);
                return VMM_EXIT_USAGE;
        }
        if (r < 0 && vmm_suggest_profile(c->target, path, size)) {
                vmm_err("no profile named '%s'; did you mean '%s'?", c->target, path);
                return VMM_EXIT_USAGE;
        }
        if (r < 0) {
                vmm_err("no profile named '%s' (looked in $XDG_CONFIG_HOME/thatte/vms, %s, %s, %s)",
                        c->target, VMM_SYSCONF_PROFILEDIR, VMM_SYSTEM_PROFILEDIR, VMM_DATA_PROFILEDIR);
                return VMM_EXIT_USAGE;
        }
        return VMM_EXIT_OK;
}

int vmm_cli_profile(const vmm_cmd *c, vmm_profile **ret)
{
        thatte_toml_error err = { 0 };
        char path[4096];
        int r = vmm_cli_find_profile(c, path, sizeof(path));

        if (r != VMM_EXIT_OK)
                return r;
        return vmm_cli_load_status(path, vmm_profile_load(path, ret, &err), &err);
}

int vmm_cli_load_status(const char *path, int r, const thatte_toml_error *err)
{
        if (r == -ENOMEM) {
                vmm_err("loading %s: %s", path, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        if (r < 0) {
                if (err->line)
                        snprintf(last_error, sizeof(last_error), "%s:%u: %s", path, err->line, err->message);
                else
                        snprintf(last_error, sizeof(last_error), "%s: %s", path, err->message);
                fprintf(stderr, "%s\n", last_error);
                return VMM_EXIT_USAGE;
        }
        return VMM_EXIT_OK;
}

int vmm_cli_system(const char *target, vmm_system **ret)
{
        thatte_toml_error err = { 0 };
        char path[4096];
        int r = vmm_find_system(target, path, sizeof(path));

        if (r == -EINVAL) {
                vmm_err("'%s' is neither a system file nor a valid system name", target);
                return VMM_EXIT_USAGE;
        }
        if (r < 0) {
                vmm_err("no system named '%s' (looked in $XDG_CONFIG_HOME/thatte/systems, %s, %s)", target,
                        VMM_SYSCONF_SYSTEMDIR, VMM_DATA_SYSTEMDIR);
                return VMM_EXIT_USAGE;
        }
        return vmm_cli_load_status(path, vmm_system_load(path, ret, &err), &err);
}

int vmm_cli_name(const vmm_cmd *c, char *buf, size_t size, vmm_profile **ret_profile)
{
        vmm_profile *p = NULL;
        char path[4096];
        int r;

        *ret_profile = NULL;
        if (vmm_name_valid(c->target) && !strstr(c->target, ".toml")) {
                snprintf(buf, size, "%s", c->target);
                /* The profile is optional here: it only supplies defaults such
                 * as the stop timeout. */
                if (vmm_find_profile(c->target, path, sizeof(path)) == 0) {
                        thatte_toml_error err;

                        if (vmm_profile_load(path, &p, &err) == 0 && strcmp(p->name, buf) == 0)
                                *ret_profile = p;
                        else
                                vmm_profile_free(p);
                }
                return VMM_EXIT_OK;
        }
        r = vmm_cli_profile(c, &p);
        if (r != VMM_EXIT_OK)
                return r;
        snprintf(buf, size, "%s", p->name);
        *ret_profile = p;
        return VMM_EXIT_OK;
}

int vmm_cli_inspect(const char *name, vmm_vm *ret_vm)
{
        vmm_vm vm;
        int r;

        r = vmm_vm_inspect(name, &vm);
        if (r < 0) {
                vmm_err("inspecting VM '%s': %s", name, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        *ret_vm = vm;
        return VMM_EXIT_OK;
}

/* A VM is known by a profile of its name, a state folder or a runtime
 * folder; a name with none of them is most likely a typo. */
static bool vm_known(const char *name)
{
        char path[4096];
        vmm_vm vm;

        return vmm_find_profile(name, path, sizeof(path)) == 0 ||
               (vmm_state_dir(name, path, sizeof(path)) == 0 && access(path, F_OK) == 0) ||
               (vmm_vm_inspect(name, &vm) == 0 && vm.state != VMM_STATE_STOPPED);
}

int vmm_cli_known(const vmm_cmd *c, char *buf, size_t size)
{
        char hint[VMM_NAME_MAX + 1];
        vmm_profile *p;
        bool known;
        int r;

        r = vmm_cli_name(c, buf, size, &p);
        known = p != NULL;
        vmm_profile_free(p);
        if (r != VMM_EXIT_OK || known || vm_known(buf))
                return r;
        if (vmm_suggest_profile(buf, hint, sizeof(hint)))
                vmm_err("no such VM '%s'; did you mean '%s'?", buf, hint);
        else
                vmm_err("no such VM '%s': no profile of that name, no state, not running", buf);
        return VMM_EXIT_USAGE;
}

int vmm_cli_vm(const vmm_cmd *c, bool running, char *buf, size_t size, vmm_vm *ret_vm)
{
        vmm_profile *p;
        vmm_vm vm;
        int r;

        if (!running) {
                r = vmm_cli_known(c, buf, size);
                return r != VMM_EXIT_OK ? r : vmm_cli_inspect(buf, ret_vm);
        }
        r = vmm_cli_name(c, buf, size, &p);
        vmm_profile_free(p);
        if (r != VMM_EXIT_OK)
                return r;
        if (vmm_vm_inspect(buf, &vm) < 0 || vm.state != VMM_STATE_RUNNING) {
                vmm_err("VM '%s' is not running", buf);
                return VMM_EXIT_FAIL;
        }
        *ret_vm = vm;
        return VMM_EXIT_OK;
}

static int plan_dirs(const vmm_profile *p, vmm_plan *plan)
{
        int r = vmm_runtime_dir(p->name, plan->rundir, sizeof(plan->rundir));

        if (r == -ENXIO) {
                vmm_err("XDG_RUNTIME_DIR is not set: no place for runtime files");
                return VMM_EXIT_FAIL;
        }
        if (r == 0)
                r = vmm_channel_dir(plan->channeldir, sizeof(plan->channeldir));
        if (r == 0)
                r = vmm_state_dir(p->name, plan->statedir, sizeof(plan->statedir));
        if (r < 0) {
                vmm_err("state folder: %s", r == -ENXIO ? "neither XDG_STATE_HOME nor HOME is set" : strerror(-r));
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

/* KVM runs only guests of the host's own architecture; an aarch64 VM on
 * an x86-64 host is TCG whatever /dev/kvm says. */
static int foreign_accel(const vmm_profile *p, vmm_accel want, vmm_plan *plan, bool verbose)
{
        const char *arch = p->arch == VMM_ARCH_AARCH64 ? "aarch64" : "x86_64";

        plan->launch.accel = VMM_ACCEL_TCG;
        if (want == VMM_ACCEL_KVM) {
                vmm_err("accel = \"kvm\" but KVM is unusable: KVM runs only this host's "
                        "architecture, not arch = \"%s\"", arch);
                return VMM_EXIT_FAIL;
        }
        if (want == VMM_ACCEL_AUTO && verbose)
                vmm_err("using TCG (slow): KVM runs only this host's architecture, not arch = \"%s\"", arch);
        return VMM_EXIT_OK;
}

/* accel "auto" takes KVM only where /dev/kvm opens and a probe boot ran
 * under it (kvm-verdict.c: probed once, then cached); an explicit "kvm"
 * that the cached probe saw fail gets a warning. plan->qemu is set. */
static int resolve_accel(const vmm_profile *p, vmm_accel want, vmm_plan *plan, bool verbose)
{
        vmm_kvm_verdict v;
        char why[256];

        if (!vmm_arch_native(p->arch))
                return foreign_accel(p, want, plan, verbose);
        if (vmm_accel_resolve(want, &plan->launch.accel, why, sizeof(why)) < 0) {
                vmm_err("accel = \"kvm\" but KVM is unusable: %s", why);
                return VMM_EXIT_FAIL;
        }
        if (*why && verbose)
                vmm_err("using TCG (slow): %s", why);
        if (plan->launch.accel != VMM_ACCEL_KVM)
                return VMM_EXIT_OK;
        if (want == VMM_ACCEL_KVM) {
                if (verbose && vmm_kvm_verdict_cached(plan->qemu, &v) && !v.runs)
                        vmm_err("warning: KVM did not run a probe guest on this host (%s); "
                                "the VM may stop or hang: try --accel tcg", v.why);
                return VMM_EXIT_OK;
        }
        /* A probe that could not run leaves KVM, watched at start-up (kvm-fallback.c). */
        if (vmm_kvm_verdict_get(plan->qemu, false, &v) < 0 || v.runs)
                return VMM_EXIT_OK;
        plan->launch.accel = VMM_ACCEL_TCG;
        if (verbose)
                vmm_err("using TCG (slow): KVM does not run guests on this host (%s); "
                        "'thatte-vmm doctor --refresh' probes again", v.why);
        return VMM_EXIT_OK;
}

/* The display the command line or the profile asks for, made concrete
 * (display.c: auto becomes a window or none). plan->qemu is set. */
static int resolve_display(vmm_ui want, vmm_plan *plan, bool verbose)
{
        char why[256];

        if (vmm_display_resolve(want, plan->qemu, &plan->launch.ui, why, sizeof(why)) < 0) {
                vmm_err("%s", why);
                return VMM_EXIT_USAGE;
        }
        if (*why && verbose)
                vmm_err("%s; running without a display", why);
        return VMM_EXIT_OK;
}

int vmm_cli_plan(const vmm_cmd *c, const vmm_profile *p, bool paused, bool verbose, vmm_plan *plan)
{
        vmm_accel want = c->accel >= 0 ? (vmm_accel)c->accel : p->accel;
        int r;

        memset(plan, 0, sizeof(*plan));
        if (vmm_find_program(vmm_arch_qemu(p->arch), plan->qemu, sizeof(plan->qemu)) < 0) {
                vmm_err("%s not found on PATH (Debian package %s)", vmm_arch_qemu(p->arch),
                        vmm_arch_qemu_package(p->arch));
                return VMM_EXIT_FAIL;
        }
        r = resolve_accel(p, want, plan, verbose);
        r = r ?: resolve_display(c->display >= 0 ? (vmm_ui)c->display : p->ui, plan, verbose);
        r = r ?: plan_dirs(p, plan);
        if (r != VMM_EXIT_OK)
                return r;
        plan->launch.qemu = plan->qemu;
        plan->launch.rundir = plan->rundir;
        plan->launch.statedir = plan->statedir;
        plan->launch.channeldir = plan->channeldir;
        plan->system = c->system;
        plan->launch.ovmf_code = vmm_arch_fw_code(p->arch);
        plan->launch.paused = paused;
        plan->launch.incoming = c->incoming;
        plan->launch.owner_monitor = c->foreground;
        plan->launch.kvm_options = getenv("THATTE_VMM_KVM_OPTIONS");
        plan->kvm_fallback = want == VMM_ACCEL_AUTO && plan->launch.accel == VMM_ACCEL_KVM;
        r = vmm_build_argv(p, &plan->launch, &plan->argv);
        if (r == -ENAMETOOLONG) {
                vmm_err("runtime folder %s is too long for socket addresses (over %d bytes)",
                        plan->rundir, VMM_RUNDIR_MAX);
                return VMM_EXIT_FAIL;
        }
        if (r < 0) {
                vmm_err("building the QEMU command line: %s", strerror(-r));
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

void vmm_confirm(const vmm_cmd *c, const char *fmt, ...)
{
        va_list ap;

        if (c->quiet || c->json)
                return;
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
}

int vmm_cli_agent(const vmm_cmd *c, const char *what, const char *name, vmm_agent *a)
{
        vmm_cmd vc = *c;
        char buf[VMM_NAME_MAX + 1];
        vmm_vm vm;

        vc.target = name;
        if (vmm_cli_vm(&vc, true, buf, sizeof(buf), &vm) != VMM_EXIT_OK)
                return -1;
        if (vmm_agent_open(a, vm.rundir, (c->timeout > 0 ? c->timeout : AGENT_HELLO_TIMEOUT_S) * 1000) < 0) {
                vmm_err("%s VM '%s': %s", what, buf, a->why);
                vmm_agent_close(a);
                return -1;
        }
        return 0;
}

int vmm_cli_qmp(const vmm_vm *vm, int timeout_ms, thatte_qmp **ret)
{
        char path[4200];
        int r;

        vmm_vm_path(vm, "qmp.sock", path, sizeof(path));
        r = thatte_qmp_connect(path, timeout_ms, ret);
        if (r == -ETIMEDOUT)
                vmm_err("VM '%s' does not answer on its QMP socket within %d s: another thatte-vmm is using it, "
                        "or QEMU is stuck; try again, or end it with 'thatte-vmm kill %s'", vm->name,
                        (timeout_ms + 999) / 1000, vm->name);
        else if (r < 0)
                vmm_err("VM '%s': connecting to %s: %s", vm->name, path, strerror(-r));
        return r;
}

int vmm_signalfd_block(sigset_t *old)
{
        sigset_t set;

        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &set, old) < 0)
                return -1;
        return signalfd(-1, &set, SFD_CLOEXEC);
}
