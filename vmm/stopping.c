/* vmm/stopping.c: the stop sequence shared by `stop`, `kill` and `run`.
 *
 * The lock, not the pid, says whether the VM is gone: it is released only
 * when QEMU and its supervisor have both exited. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "migrate.h"
#include "stopping.h"
#include "thatte-dirs.h"
#include "vmm.h"

int vmm_wait_unlocked(const vmm_vm *vm, long long deadline)
{
        char lock[4200];

        vmm_vm_path(vm, "lock", lock, sizeof(lock));
        for (;;) {
                if (thatte_lock_held(lock) == 0)
                        return 1;
                if (thatte_now_ms() >= deadline)
                        return 0;
                usleep(10000);
        }
}

int vmm_force_end(const vmm_vm *vm, thatte_qmp *q, long long quit_deadline, long long kill_deadline)
{
        if (q) {
                long long left = quit_deadline - thatte_now_ms();

                (void)thatte_qmp_execute(q, "quit", NULL, NULL, left > 0 ? (int)left : 1);
                if (vmm_wait_unlocked(vm, quit_deadline))
                        return 1;
        }
        if (vm->pid && vmm_pid_is_vm(vm->pid, vm->rundir))
                (void)kill(vm->pid, SIGKILL);
        return vmm_wait_unlocked(vm, kill_deadline);
}

void vmm_finish(const vmm_vm *vm)
{
        char lock[4200];
        int fd;

        vmm_vm_path(vm, "lock", lock, sizeof(lock));
        if (thatte_lock_take(lock, &fd) < 0)
                return;
        (void)vmm_vm_cleanup(vm->rundir);
        close(fd);
}

/* Asks for an ACPI power-down, again every VMM_POWERDOWN_REPEAT_MS, and
 * waits for the guest to act on it. */
static int graceful(thatte_qmp *q, const vmm_vm *vm, long long until)
{
        for (;;) {
                long long left = until - thatte_now_ms();
                int r;

                if (left <= 0)
                        return 0;
                r = thatte_qmp_execute(q, "system_powerdown", NULL, NULL, (int)left);
                if (r == 0) {
                        long long wait = until - thatte_now_ms();

                        if (wait > VMM_POWERDOWN_REPEAT_MS)
                                wait = VMM_POWERDOWN_REPEAT_MS;
                        r = thatte_qmp_wait_event(q, "SHUTDOWN", wait > 0 ? (int)wait : 0);
                }
                /* After SHUTDOWN (or with the socket closed) QEMU is on its way out. */
                if (r == 0 || r == -ECONNRESET)
                        return vmm_wait_unlocked(vm, until);
                if (r != -ETIMEDOUT)
                        return 0;
        }
}

/* A paused guest, or one QEMU stopped on an error (a KVM internal error,
 * a panic), will not act on the power button: no use waiting for it. */
static bool guest_runs(thatte_qmp *q)
{
        char state[64];

        return vmm_qmp_run_state(q, state, sizeof(state)) == 0 && strcmp(state, "running") == 0;
}

static int stop_vm(const char *name, int timeout_s, bool force, const char **how)
{
        long long start = thatte_now_ms(), deadline = start + timeout_s * 1000LL;
        long long reserve = timeout_s * 1000LL / 3 < 2000 ? timeout_s * 1000LL / 3 : 2000;
        thatte_qmp *q = NULL;
        char qmp[4200];
        vmm_vm vm;
        int gone = 0, r;

        r = vmm_cli_inspect(name, &vm);
        if (r != VMM_EXIT_OK)
                return r;
        *how = "not-running";
        if (vm.state == VMM_STATE_STOPPED)
                return VMM_EXIT_OK;
        *how = "stale";
        if (vm.state == VMM_STATE_CRASHED) {
                vmm_err("VM '%s' was not running; removing its stale runtime files", name);
                vmm_finish(&vm);
                return VMM_EXIT_OK;
        }
        vmm_vm_path(&vm, "qmp.sock", qmp, sizeof(qmp));
        (void)thatte_qmp_connect(qmp, (int)(reserve > 0 ? reserve : 1), &q);
        *how = "powerdown";
        if (q && !force && !guest_runs(q))
                force = true;
        if (q && !force)
                gone = graceful(q, &vm, deadline - reserve);
        if (!gone) {
                *how = "forced";
                gone = vmm_force_end(&vm, q, deadline - reserve / 2, deadline);
        }
        thatte_qmp_free(q);
        if (!gone) {
                *how = "failed";
                vmm_err("VM '%s' (pid %d) is still running after %d s", name, (int)vm.pid, timeout_s);
                return VMM_EXIT_FAIL;
        }
        vmm_finish(&vm);
        return VMM_EXIT_OK;
}

int vmm_stop_vm(const char *name, int timeout_s, bool force, const char **ret_how)
{
        const char *how = "failed";
        int r = stop_vm(name, timeout_s, force, &how);

        if (ret_how)
                *ret_how = how;
        return r;
}
