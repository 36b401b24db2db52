/* vmm/ready.c: following a VM's serial.log (QEMU writes it whether or not
 * a console is attached) until a line matches. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ready.h"
#include "record.h"
#include "thatte-qmp.h"

#define LINE_MAX_KEPT 4096      /* longer lines never match: no marker is that
                                 * long, and their kept end could start with
                                 * one a guest's user program printed */
#define POLL_US 50000

typedef struct follow {
        int fd;
        char line[LINE_MAX_KEPT + 1];
        size_t n;
        int overlong;           /* the line went past LINE_MAX_KEPT */
} follow;

/* Reads what is new; 1 when a complete line matched, else 0. */
static int scan(follow *f, const regex_t *re)
{
        char buf[4096];
        ssize_t got;

        while ((got = read(f->fd, buf, sizeof(buf))) > 0) {
                for (ssize_t i = 0; i < got; i++) {
                        if (buf[i] == '\n' || buf[i] == '\r') {
                                f->line[f->n] = 0;
                                if (f->n && !f->overlong && regexec(re, f->line, 0, NULL, 0) == 0)
                                        return 1;
                                f->n = 0;
                                f->overlong = 0;
                        } else if (buf[i] != 0 && f->n == LINE_MAX_KEPT) {
                                f->overlong = 1;
                        } else if (buf[i] != 0) {
                                f->line[f->n++] = buf[i];
                        }
                }
        }
        return 0;
}

int vmm_wait_ready(const vmm_vm *vm, const regex_t *re, unsigned timeout_s,
                   const volatile sig_atomic_t *stop)
{
        long long deadline = thatte_now_ms() + timeout_s * 1000LL;
        follow f = { .fd = -1 };
        char path[4200];
        int r = -ETIMEDOUT;

        vmm_vm_log_path(vm, path, sizeof(path));
        while (thatte_now_ms() < deadline) {
                vmm_vm now;

                if (*stop) {
                        r = -EINTR;
                        break;
                }
                if (f.fd < 0)
                        f.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
                if (f.fd >= 0 && scan(&f, re)) {
                        r = 0;
                        break;
                }
                if (vmm_vm_inspect(vm->name, &now) == 0 && now.state != VMM_STATE_RUNNING) {
                        /* What it wrote before stopping still counts. */
                        r = f.fd >= 0 && scan(&f, re) ? 0 : -ECHILD;
                        break;
                }
                usleep(POLL_US);
        }
        if (f.fd >= 0)
                close(f.fd);
        return r;
}

const char *vmm_ready_advice(const vmm_vm *vm)
{
        vmm_record rec = { .accel = VMM_ACCEL_TCG };
        bool kvm = vmm_record_read_launch(vm->rundir, &rec) == 0 && rec.accel == VMM_ACCEL_KVM;

        vmm_record_done(&rec);
        return kvm ? "it ran under KVM, which may not run guests on this host: try --accel tcg "
                     "(and 'thatte-vmm doctor --refresh')" :
                     "it ran under TCG: a slow host may need a longer timeout";
}
