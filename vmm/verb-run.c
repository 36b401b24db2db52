/* vmm/verb-run.c: `run PROFILE`: boot in the foreground with the serial
 * port on this terminal. QEMU starts paused so no early output is lost,
 * and runs in its own session, so Ctrl-C reaches only thatte-vmm: the
 * first asks the guest to power down (ACPI, pressed again every
 * VMM_POWERDOWN_REPEAT_MS in case the guest missed it), the second ends
 * QEMU (quit, then SIGKILL); so does the profile's stop timeout after the
 * first. run talks to QEMU over a monitor of its own (run.sock), so every
 * other verb finds qmp.sock free, as for a VM that `start` started; a
 * guest that QEMU stops for good (KVM internal error, guest panic) ends run
 * with the reason instead of leaving a silent terminal. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "kvm-fallback.h"
#include "launch.h"
#include "migrate.h"
#include "serial.h"
#include "stopping.h"
#include "vmm.h"

typedef struct run_ctx {
        vmm_vm vm;
        thatte_qmp *q;
        int sock;
        int sigfd;
        int interrupts;
        long long deadline;     /* for the graceful phase, 0 before Ctrl-C */
        long long next_press;   /* of the power button, in that phase */
        unsigned timeout_s;
        vmm_accel accel;
        bool failed;            /* the guest stopped for good */
} run_ctx;

static void press_power_button(run_ctx *r)
{
        (void)thatte_qmp_execute(r->q, "system_powerdown", NULL, NULL, 2000);
        r->next_press = thatte_now_ms() + VMM_POWERDOWN_REPEAT_MS;
}

static int on_signal(run_ctx *r)
{
        struct signalfd_siginfo si;

        if (read(r->sigfd, &si, sizeof(si)) != sizeof(si))
                return 0;
        if (++r->interrupts == 1) {
                vmm_err("powering the guest down (Ctrl-C again to force)");
                r->deadline = thatte_now_ms() + r->timeout_s * 1000LL;
                press_power_button(r);
                return 0;
        }
        return 1;
}

/* After an event: 1 when the guest stopped for good (saying why), -1 when
 * QEMU closed the monitor (it is ending), else 0. */
static int stopped_for_good(run_ctx *r)
{
        char state[64];
        json_object *ev;
        int e;

        while ((e = thatte_qmp_next_event(r->q, 0, &ev)) == 0)
                json_object_put(ev);
        if (e == -ECONNRESET || vmm_qmp_run_state(r->q, state, sizeof(state)) < 0)
                return -1;
        if (strcmp(state, "internal-error") && strcmp(state, "guest-panicked"))
                return 0;
        vmm_err("VM '%s' stopped: QEMU reports %s%s; ending it", r->vm.name, state,
                strcmp(state, "internal-error") == 0 && r->accel == VMM_ACCEL_KVM ?
                " under KVM: try --accel tcg" : "");
        r->failed = true;
        return 1;
}

/* Relays until the VM ends (0) or must be forced (1). */
static int relay(run_ctx *r)
{
        struct pollfd p[4] = {
                { .fd = r->sock, .events = POLLIN },
                { .fd = r->sigfd, .events = POLLIN },
                { .fd = STDIN_FILENO, .events = POLLIN },
                { .fd = thatte_qmp_fd(r->q), .events = POLLIN },
        };

        for (;;) {
                int wait = -1;

                if (r->deadline) {
                        long long left = r->deadline - thatte_now_ms();

                        if (left <= 0)
                                return 1;
                        if (thatte_now_ms() >= r->next_press)
                                press_power_button(r);
                        wait = (int)(r->next_press - thatte_now_ms());
                        if (wait > left)
                                wait = (int)left;
                        if (wait < 0)
                                wait = 0;
                }
                if (poll(p, 4, wait) < 0 && errno != EINTR)
                        return 1;
                if (p[0].revents && vmm_copy_once(r->sock, STDOUT_FILENO) <= 0)
                        return 0;
                if (p[1].revents && on_signal(r))
                        return 1;
                if (p[2].revents && vmm_copy_once(STDIN_FILENO, r->sock) <= 0)
                        p[2].fd = -1;
                if (p[3].revents) {
                        int gone = stopped_for_good(r);

                        if (gone > 0)
                                return 1;
                        if (gone < 0)
                                p[3].fd = -1;
                }
        }
}

static int attach_and_go(run_ctx *r, int *console_lock)
{
        char qmp[4200];
        int e;

        vmm_vm_path(&r->vm, "run.sock", qmp, sizeof(qmp));
        e = thatte_qmp_connect(qmp, 5000, &r->q);
        if (e == 0)
                e = vmm_serial_attach(&r->vm, &r->sock, console_lock);
        if (e == 0)
                e = thatte_qmp_execute(r->q, "cont", NULL, NULL, 5000);
        if (e < 0)
                vmm_err("attaching to VM '%s': %s", r->vm.name, strerror(-e));
        return e;
}

static int run_vm(const vmm_profile *p, vmm_plan *plan)
{
        run_ctx r = { .sock = -1, .timeout_s = p->stop_timeout, .accel = plan->launch.accel };
        int console_lock = -1, status;
        sigset_t old;

        if (!p->serial) {
                vmm_err("run needs [serial] enabled = true; use start");
                return VMM_EXIT_USAGE;
        }
        r.sigfd = vmm_signalfd_block(&old);
        if (r.sigfd < 0) {
                vmm_err("signalfd: %s", strerror(errno));
                return VMM_EXIT_FAIL;
        }
        status = vmm_launch_vm(p, plan, &r.vm);
        if (status == VMM_EXIT_OK) {
                if (attach_and_go(&r, &console_lock) < 0)
                        status = VMM_EXIT_FAIL;
                else if (plan->kvm_fallback &&
                         vmm_kvm_watch(&r.vm, r.q, VMM_KVM_WATCH_MS, plan->kvm_why, sizeof(plan->kvm_why)))
                        status = VMM_EXIT_KVM_FAILED;
                if (status != VMM_EXIT_OK || relay(&r)) {
                        long long now = thatte_now_ms();

                        if (r.failed)
                                status = VMM_EXIT_FAIL;
                        (void)vmm_force_end(&r.vm, r.q, now + 2000, now + 4000);
                }
                if (vmm_wait_unlocked(&r.vm, thatte_now_ms() + 10000)) {
                        vmm_finish(&r.vm);
                } else {
                        vmm_err("VM '%s' (pid %d) is still running", r.vm.name, (int)r.vm.pid);
                        status = VMM_EXIT_FAIL;
                }
        }
        thatte_qmp_free(r.q);
        if (r.sock >= 0)
                close(r.sock);
        if (console_lock >= 0)
                close(console_lock);
        close(r.sigfd);
        (void)sigprocmask(SIG_SETMASK, &old, NULL);
        return status;
}

int vmm_verb_run(const vmm_cmd *c)
{
        vmm_cmd fg = *c;
        vmm_profile *p;
        vmm_plan plan;
        int r;

        fg.foreground = true;
        c = &fg;
        r = vmm_cli_profile(c, &p);
        if (r != VMM_EXIT_OK)
                return r;
        r = vmm_cli_plan(c, p, true, true, &plan);
        if (r == VMM_EXIT_OK) {
                r = run_vm(p, &plan);
                vmm_strv_free(&plan.argv);
        }
        if (r == VMM_EXIT_KVM_FAILED) {
                r = vmm_kvm_replan(c, p, true, &plan);
                if (r == VMM_EXIT_OK) {
                        r = run_vm(p, &plan);
                        vmm_strv_free(&plan.argv);
                }
        }
        vmm_profile_free(p);
        return r;
}
