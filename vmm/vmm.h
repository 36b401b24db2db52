/* vmm/vmm.h: what verbs share: the parsed command line and CLI helpers. */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <stdbool.h>
#include <stdio.h>

#include "argv.h"
#include "profile.h"

#define VMM_PROG "thatte-vmm"

/* Exit statuses (GNU: 1 runtime failure, 2 usage or configuration error). */
enum { VMM_EXIT_OK = 0, VMM_EXIT_FAIL = 1, VMM_EXIT_USAGE = 2 };

/* Options a verb accepts, as a bit mask in its table entry. */
enum {
        VMM_OPT_JSON = 1 << 0,
        VMM_OPT_TIMEOUT = 1 << 1,
        VMM_OPT_FORCE = 1 << 2,
        VMM_OPT_OUTPUT = 1 << 3,
        VMM_OPT_ACCEL = 1 << 4,
};

typedef struct vmm_cmd {
        const char *target;     /* PROFILE path or NAME, or --cfg FILE */
        bool json;
        bool force;
        int timeout;            /* seconds; -1 when not given */
        const char *output;
        int accel;              /* vmm_accel override; -1 when not given */
} vmm_cmd;

typedef struct vmm_verb {
        const char *name;
        int (*run)(const vmm_cmd *c);
        unsigned options;
        bool needs_target;
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

/* vmm_err: prints "thatte-vmm: ..." on stderr. */
void vmm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* vmm_cli_profile: finds and loads the profile c->target names, printing
 * any error. Returns VMM_EXIT_OK with *ret set, or the exit status. */
int vmm_cli_profile(const vmm_cmd *c, vmm_profile **ret);

/* vmm_cli_name: the VM name c->target stands for (a NAME as is, or the
 * [vm] name of a PROFILE path) into buf; *ret_profile gets the profile
 * when one was found (NULL otherwise; free it). Returns an exit status. */
int vmm_cli_name(const vmm_cmd *c, char *buf, size_t size, vmm_profile **ret_profile);

/* The folders and argv for launching p; fields point into the struct. */
typedef struct vmm_plan {
        char qemu[4096];
        char rundir[4096];
        char statedir[4096];
        vmm_launch launch;
        vmm_strv argv;
} vmm_plan;

/* vmm_cli_plan: resolves QEMU, accel (printing why when auto falls back to
 * TCG and `verbose`), folders, and builds the argv. Returns an exit status;
 * on success free plan->argv with vmm_strv_free. */
int vmm_cli_plan(const vmm_cmd *c, const vmm_profile *p, bool paused, bool verbose, vmm_plan *plan);

#endif
