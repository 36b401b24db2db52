/* vmm/vmm.h: what verbs share: the parsed command line and CLI helpers. */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "argv.h"
#include "profile.h"
#include "thatte-qmp.h"
#include "vmstate.h"

#define VMM_PROG "thatte-vmm"

/* Exit statuses (GNU: 1 runtime failure, 2 usage or configuration error).
 * VMM_EXIT_KVM_FAILED never leaves the program: a launch under accel =
 * "auto" that KVM could not run, to be retried under TCG. */
enum { VMM_EXIT_OK = 0, VMM_EXIT_FAIL = 1, VMM_EXIT_USAGE = 2, VMM_EXIT_KVM_FAILED = 3 };

/* Options a verb accepts, as a bit mask in its table entry. */
enum {
        VMM_OPT_JSON = 1 << 0,
        VMM_OPT_TIMEOUT = 1 << 1,
        VMM_OPT_FORCE = 1 << 2,
        VMM_OPT_OUTPUT = 1 << 3,
        VMM_OPT_ACCEL = 1 << 4,
        VMM_OPT_FOLLOW = 1 << 5,
        VMM_OPT_REFRESH = 1 << 6,
        VMM_OPT_DISPLAY = 1 << 7,
        VMM_OPT_COMMAND = 1 << 8,       /* exec: a command follows the name */
        VMM_OPT_ALL = 1 << 9,
        VMM_OPT_HOLD = 1 << 10,         /* send-key, pointer: --hold-time */
};

typedef struct vmm_cmd {
        const char *target;     /* PROFILE path or NAME, or --cfg FILE */
        bool json;
        bool quiet;             /* -q: no confirmation line */
        bool force;
        int timeout;            /* seconds; -1 when not given */
        const char *output;
        int accel;              /* vmm_accel override; -1 when not given */
        bool follow;            /* events: wait for the VM to start */
        bool refresh;           /* doctor: probe KVM again */
        const char *arg;        /* the verb's second argument (save FILE) */
        const char *system;     /* up: the system file a VM belongs to, or NULL */
        bool incoming;          /* restore: QEMU waits for a saved state */
        int display;            /* vmm_ui override; -1 when not given */
        bool all;               /* list: profiles and stopped VMs too */
        char **argv;            /* exec: the command after the name */
        int argc;
        bool foreground;        /* run: QEMU gets a monitor for run alone */
        int hold_time;          /* send-key, pointer: ms; -1 when not given */
} vmm_cmd;

typedef struct vmm_verb {
        const char *name;
        int (*run)(const vmm_cmd *c);
        unsigned options;
        const char *target;     /* what c->target is ("a state file"); NULL: takes none */
        const char *arg;        /* likewise the second argument, c->arg */
        const char *usage;
} vmm_verb;

int vmm_verb_check(const vmm_cmd *c);
int vmm_verb_cmdline(const vmm_cmd *c);
int vmm_verb_start(const vmm_cmd *c);
int vmm_verb_run(const vmm_cmd *c);
int vmm_verb_stop(const vmm_cmd *c);
int vmm_verb_kill(const vmm_cmd *c);
int vmm_verb_status(const vmm_cmd *c);
int vmm_verb_list(const vmm_cmd *c);
int vmm_verb_console(const vmm_cmd *c);
int vmm_verb_screenshot(const vmm_cmd *c);
int vmm_verb_events(const vmm_cmd *c);
int vmm_verb_save(const vmm_cmd *c);
int vmm_verb_restore(const vmm_cmd *c);
int vmm_verb_doctor(const vmm_cmd *c);
int vmm_verb_up(const vmm_cmd *c);
int vmm_verb_down(const vmm_cmd *c);
int vmm_verb_exec(const vmm_cmd *c);
int vmm_verb_copy(const vmm_cmd *c);
int vmm_verb_log(const vmm_cmd *c);
int vmm_verb_delete(const vmm_cmd *c);
int vmm_verb_reset(const vmm_cmd *c);
int vmm_verb_snapshot(const vmm_cmd *c);
int vmm_verb_edit(const vmm_cmd *c);
int vmm_verb_send_key(const vmm_cmd *c);
int vmm_verb_pointer(const vmm_cmd *c);

/* vmm_cli_system: finds (vmm_find_system: a path, or a system name) and
 * loads the system file `target` names (system.h), printing any error as
 * FILE:LINE: message. Returns an exit status. */
struct vmm_system;
int vmm_cli_system(const char *target, struct vmm_system **ret);

/* vmm_print_json: prints o on stdout as one line and puts it; a NULL o (out
 * of memory) prints nothing. */
struct json_object;
void vmm_print_json(struct json_object *o);

/* vmm_signalfd_block: blocks SIGINT, SIGTERM and SIGHUP (the old mask into
 * *old) and returns a signalfd for them, or -1 with errno set. */
int vmm_signalfd_block(sigset_t *old);

/* vmm_confirm: the one line on stdout by which start, stop, kill,
 * restore, delete, reset, snapshot and edit say what they did, unless -q
 * or --json. */
void vmm_confirm(const vmm_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* vmm_cli_last_error: the last error vmm_err or vmm_cli_load_status
 * printed (without the program's name), or "". */
const char *vmm_cli_last_error(void);

/* vmm_err: prints "thatte-vmm: ..." on stderr. */
void vmm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vmm_cli_profile: finds and loads the profile c->target names, printing
 * any error. Returns VMM_EXIT_OK with *ret set, or the exit status. */
int vmm_cli_profile(const vmm_cmd *c, vmm_profile **ret);

/* vmm_cli_find_profile: the file c->target names (a path, or NAME.toml in
 * the profile folders) into path, without loading it; a name with no file
 * is a usage error, with a suggestion for a typo. Returns an exit status. */
int vmm_cli_find_profile(const vmm_cmd *c, char *path, size_t size);

/* vmm_cli_load_status: the exit status of loading the file at path
 * (result r of a *_load function with err), printing a FILE:LINE error. */
int vmm_cli_load_status(const char *path, int r, const thatte_toml_error *err);

/* vmm_cli_name: the VM name c->target stands for (a NAME as is, or the
 * [vm] name of a PROFILE path) into buf; *ret_profile gets the profile
 * when one was found (NULL otherwise; free it). Returns an exit status. */
int vmm_cli_name(const vmm_cmd *c, char *buf, size_t size, vmm_profile **ret_profile);

/* vmm_cli_known: like vmm_cli_name, for a VM that must exist in some way
 * (a profile of its name, a state folder or a runtime folder): an unknown
 * name is a usage error "no such VM", with a suggestion for a typo.
 * Returns an exit status. */
int vmm_cli_known(const vmm_cmd *c, char *buf, size_t size);

/* vmm_cli_inspect: inspects the VM `name` into *ret_vm, printing why it
 * could not. Returns an exit status; *ret_vm is untouched on failure. */
int vmm_cli_inspect(const char *name, vmm_vm *ret_vm);

/* vmm_cli_vm: the VM c->target names (see vmm_cli_name), its name into buf
 * and its state into *ret_vm. With `running`, a VM that does not run (or
 * cannot be inspected) is an error "VM 'NAME' is not running". Returns an
 * exit status; *ret_vm is untouched on failure. */
int vmm_cli_vm(const vmm_cmd *c, bool running, char *buf, size_t size, vmm_vm *ret_vm);

/* vmm_cli_qmp: connects to the VM's QMP socket within timeout_ms, saying
 * clearly why not (busy or stuck QEMU, or the connect error). Returns 0
 * with *ret (thatte_qmp_free it), or -errno. */
int vmm_cli_qmp(const vmm_vm *vm, int timeout_ms, thatte_qmp **ret);

/* vmm_cli_agent: the running VM `name` names and its guest agent, greeted
 * within c's --timeout (default 60 s) into *a. Prints errors as "WHAT VM
 * 'NAME': why" (what: "exec on", "copy with"). Returns 0, or -1 with
 * nothing left open. */
struct vmm_agent;
int vmm_cli_agent(const vmm_cmd *c, const char *what, const char *name, struct vmm_agent *a);

/* The folders and argv for launching p; fields point into the struct. */
typedef struct vmm_plan {
        char qemu[4096];
        char rundir[4096];
        char statedir[4096];
        vmm_launch launch;
        vmm_strv argv;
        const char *system;     /* recorded as RUNDIR/system, or NULL */
        char channeldir[4096];
        bool kvm_fallback;      /* accel "auto" chose KVM: fall back to TCG if it fails */
        char kvm_why[256];      /* why KVM failed (set with VMM_EXIT_KVM_FAILED) */
} vmm_plan;

/* vmm_cli_plan: resolves QEMU, accel (printing why when auto falls back to
 * TCG and `verbose`), folders, and builds the argv. Returns an exit status;
 * on success free plan->argv with vmm_strv_free. */
int vmm_cli_plan(const vmm_cmd *c, const vmm_profile *p, bool paused, bool verbose, vmm_plan *plan);

/* vmm_cli_start: plans and launches p (see vmm_cli_plan, vmm_launch_vm);
 * when accel "auto" chose KVM and the VM stops on a KVM internal error at
 * start-up (or QEMU's KVM start fails), says why and starts it again under
 * TCG. Returns an exit status; on success *vm describes the running VM. */
int vmm_cli_start(const vmm_cmd *c, const vmm_profile *p, vmm_vm *vm);

#endif
