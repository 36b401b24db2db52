/* vmm/kvm-fallback.c: accel = "auto" on hosts where /dev/kvm opens but KVM
 * cannot run the guest. Such a VM either never gets going (QEMU exits on a
 * KVM error) or stops at once with a KVM internal error; thatte-vmm then
 * starts it again under TCG and says why. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kvm-fallback.h"
#include "launch.h"
#include "migrate.h"
#include "stopping.h"
#include "vmm.h"

#define POLL_US 50000

int vmm_log_kvm_error(const char *rundir, char *why, size_t size)
{
        char path[4200], buf[8192], *hit = NULL, *end;
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "%s/qemu.log", rundir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = 0;
        for (char *line = buf; line && *line && !hit; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                if ((strstr(line, "KVM") || strstr(line, "kvm")) && !strstr(line, "warning:"))
                        hit = line;
        if (!hit)
                return 0;
        end = strchr(hit, '\n');
        snprintf(why, size, "%.*s", (int)(end ? end - hit : (long)strlen(hit)), hit);
        return 1;
}

int vmm_kvm_watch(const vmm_vm *vm, thatte_qmp *q, int window_ms, char *why, size_t size)
{
        long long deadline = thatte_now_ms() + window_ms;
        thatte_qmp *own = NULL;
        char qmp[4200], state[64];
        int failed = 0;

        if (!q) {
                vmm_vm_path(vm, "qmp.sock", qmp, sizeof(qmp));
                if (thatte_qmp_connect(qmp, 2000, &own) < 0)
                        return vmm_log_kvm_error(vm->rundir, why, size);
                q = own;
        }
        while (thatte_now_ms() < deadline) {
                if (vmm_qmp_run_state(q, state, sizeof(state)) < 0) {
                        failed = vmm_log_kvm_error(vm->rundir, why, size);
                        break;
                }
                if (strcmp(state, "internal-error") == 0) {
                        if (!vmm_log_kvm_error(vm->rundir, why, size))
                                snprintf(why, size, "QEMU stopped the guest on an internal error");
                        failed = 1;
                        break;
                }
                usleep(POLL_US);
        }
        thatte_qmp_free(own);
        return failed;
}

/* One attempt; VMM_EXIT_KVM_FAILED with plan->kvm_why when KVM failed. */
static int try_start(const vmm_profile *p, vmm_plan *plan, vmm_vm *vm)
{
        int r = vmm_launch_vm(p, plan, vm);

        if (r != VMM_EXIT_OK || !plan->kvm_fallback)
                return r;
        if (!vmm_kvm_watch(vm, NULL, VMM_KVM_WATCH_MS, plan->kvm_why, sizeof(plan->kvm_why)))
                return VMM_EXIT_OK;
        (void)vmm_force_end(vm, NULL, 0, thatte_now_ms() + 5000);
        vmm_finish(vm);
        return VMM_EXIT_KVM_FAILED;
}

int vmm_kvm_replan(const vmm_cmd *c, const vmm_profile *p, bool paused, vmm_plan *plan)
{
        vmm_cmd tcg = *c;

        vmm_err("KVM failed at start-up (%s); starting VM '%s' again under TCG (slow)", plan->kvm_why, p->name);
        tcg.accel = VMM_ACCEL_TCG;
        return vmm_cli_plan(&tcg, p, paused, true, plan);
}

int vmm_cli_start(const vmm_cmd *c, const vmm_profile *p, vmm_vm *vm)
{
        vmm_plan plan;
        int r;

        r = vmm_cli_plan(c, p, false, true, &plan);
        if (r != VMM_EXIT_OK)
                return r;
        r = try_start(p, &plan, vm);
        vmm_strv_free(&plan.argv);
        if (r != VMM_EXIT_KVM_FAILED)
                return r;
        r = vmm_kvm_replan(c, p, false, &plan);
        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_launch_vm(p, &plan, vm);
        vmm_strv_free(&plan.argv);
        return r;
}
