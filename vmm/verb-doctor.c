/* vmm/verb-doctor.c: `doctor [--json]`: is this host ready to run VMs?
 * QEMU and its version, qemu-img, OVMF, the runtime folder, /dev/kvm, and
 * whether KVM really runs a guest (a short probe boot, cached per host,
 * kernel and QEMU; --refresh probes again). Each check says
 * what to do about it. Exit 0 unless a check failed outright; KVM trouble
 * is a warning, since TCG still runs every VM. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "accel.h"
#include "arch.h"
#include "kvm-probe.h"
#include "kvm-verdict.h"
#include "paths.h"
#include "thatte-dirs.h"
#include "vmm.h"

typedef enum { CHECK_OK, CHECK_WARN, CHECK_FAIL, CHECK_SKIP } check_status;

typedef struct check {
        const char *name;
        check_status status;
        char detail[512];
        const char *advice;     /* NULL when there is nothing to do */
} check;

typedef struct doctor {
        check checks[8];
        size_t n;
        char qemu[4096];
        const char *ovmf_code, *ovmf_vars;
        bool have_qemu, have_ovmf, kvm_opens;
} doctor;

static check *add(doctor *d, const char *name, check_status st, const char *advice, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

static check *add(doctor *d, const char *name, check_status st, const char *advice, const char *fmt, ...)
{
        check *c = &d->checks[d->n++];
        va_list ap;

        c->name = name;
        c->status = st;
        c->advice = st == CHECK_OK ? NULL : advice;
        va_start(ap, fmt);
        vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
        va_end(ap);
        return c;
}

static void check_qemu(doctor *d)
{
        char out[4096], *v, *argv[] = { d->qemu, "--version", NULL };

        if (vmm_find_program("qemu-system-x86_64", d->qemu, sizeof(d->qemu)) < 0) {
                add(d, "qemu", CHECK_FAIL, "install the Debian package qemu-system-x86",
                    "qemu-system-x86_64 is not on PATH");
                return;
        }
        d->have_qemu = true;
        if (vmm_capture(argv, NULL, 10000, out, sizeof(out), NULL) < 0 ||
            !(v = strstr(out, "version "))) {
                add(d, "qemu", CHECK_FAIL, "check that QEMU runs: qemu-system-x86_64 --version",
                    "%s does not say its version", d->qemu);
                return;
        }
        v += strlen("version ");
        add(d, "qemu", atoi(v) >= 7 ? CHECK_OK : CHECK_WARN, "thatte-vmm is tested with QEMU 7.2 (Debian 12)",
            "%s, QEMU %.*s", d->qemu, (int)strcspn(v, " \n"), v);
}

static void check_files(doctor *d)
{
        char path[4096];

        if (vmm_find_program("qemu-img", path, sizeof(path)) == 0)
                add(d, "qemu-img", CHECK_OK, NULL, "%s", path);
        else
                add(d, "qemu-img", CHECK_WARN, "install the Debian package qemu-utils (disk overlays need it)",
                    "qemu-img is not on PATH");
        d->ovmf_code = vmm_arch_fw_code(VMM_ARCH_X86_64);
        d->ovmf_vars = vmm_arch_fw_vars(VMM_ARCH_X86_64);
        d->have_ovmf = access(d->ovmf_code, R_OK) == 0 && access(d->ovmf_vars, R_OK) == 0;
        add(d, "ovmf", d->have_ovmf ? CHECK_OK : CHECK_WARN,
            "install the Debian package ovmf (profiles with firmware = \"ovmf\" need it)",
            "%s and %s%s", d->ovmf_code, d->ovmf_vars, d->have_ovmf ? "" : ": not both readable");
}

static void check_runtime(doctor *d)
{
        char dir[4096];
        int r = vmm_runtime_dir(NULL, dir, sizeof(dir));

        if (r == 0)
                r = thatte_mkdir_private(dir);
        if (r == 0)
                add(d, "runtime-folder", CHECK_OK, NULL, "%s (private)", dir);
        else if (r == -ENXIO)
                add(d, "runtime-folder", CHECK_FAIL, "log in through a session that sets XDG_RUNTIME_DIR "
                    "(systemd-logind does), or set it to a private folder", "XDG_RUNTIME_DIR is not set");
        else
                add(d, "runtime-folder", CHECK_FAIL, "make it a folder of yours with mode 0700",
                    "%s: %s", dir, r == -EPERM ? "not a private folder owned by you" : strerror(-r));
}

static void check_kvm(doctor *d, bool refresh)
{
        char why[256], when[64];
        vmm_kvm_verdict v;
        vmm_accel got;
        struct tm tm;
        time_t t;
        int r;

        (void)vmm_accel_resolve(VMM_ACCEL_KVM, &got, why, sizeof(why));
        d->kvm_opens = !*why;
        add(d, "kvm-device", d->kvm_opens ? CHECK_OK : CHECK_WARN,
            "VMs run under TCG (slow); for KVM enable virtualization and add yourself to the kvm group",
            "%s", d->kvm_opens ? VMM_KVM_DEVICE " opens read-write" : why);
        if (!d->kvm_opens || !d->have_qemu) {
                add(d, "kvm-guest", CHECK_SKIP, NULL, "not probed (%s)",
                    !d->kvm_opens ? "no usable /dev/kvm" : "no QEMU");
                return;
        }
        r = vmm_kvm_verdict_get(d->qemu, refresh, &v);
        if (r < 0) {
                add(d, "kvm-guest", CHECK_WARN, "check that QEMU runs", "probe boot failed: %s", strerror(-r));
                return;
        }
        t = (time_t)v.when;
        if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm))
                snprintf(when, sizeof(when), "at an unknown time");
        if (v.runs)
                add(d, "kvm-guest", CHECK_OK, NULL, "a probe boot under KVM got going (%s%s)",
                    v.cached ? "cached, probed " : "probed now, ", when);
        else
                add(d, "kvm-guest", CHECK_WARN, "KVM opens but does not run guests here: accel = \"auto\" uses "
                    "TCG; after changing the host, 'thatte-vmm doctor --refresh' probes again",
                    "a probe boot under KVM failed: %s (%s%s)", v.why, v.cached ? "cached, probed " :
                    "probed now, ", when);
}

static const char *status_name(check_status s)
{
        static const char *const names[] = { "ok", "warn", "fail", "skip" };

        return names[s];
}

static void print_json(const doctor *d, bool ok)
{
        json_object *o = json_object_new_object(), *a = json_object_new_array();

        for (size_t i = 0; i < d->n; i++) {
                const check *c = &d->checks[i];
                json_object *e = json_object_new_object();

                json_object_object_add(e, "name", json_object_new_string(c->name));
                json_object_object_add(e, "status", json_object_new_string(status_name(c->status)));
                json_object_object_add(e, "detail", json_object_new_string(c->detail));
                json_object_object_add(e, "advice", c->advice ? json_object_new_string(c->advice) : NULL);
                json_object_array_add(a, e);
        }
        json_object_object_add(o, "ok", json_object_new_boolean(ok));
        json_object_object_add(o, "checks", a);
        vmm_print_json(o);
}

int vmm_verb_doctor(const vmm_cmd *c)
{
        doctor d = { .n = 0 };
        bool ok = true;

        check_qemu(&d);
        check_files(&d);
        check_runtime(&d);
        check_kvm(&d, c->refresh);
        for (size_t i = 0; i < d.n; i++)
                ok = ok && d.checks[i].status != CHECK_FAIL;
        if (c->json) {
                print_json(&d, ok);
        } else {
                for (size_t i = 0; i < d.n; i++) {
                        const check *k = &d.checks[i];

                        printf("%-4s %-15s %s\n", status_name(k->status), k->name, k->detail);
                        if (k->advice)
                                printf("     %-15s -> %s\n", "", k->advice);
                }
        }
        return ok ? VMM_EXIT_OK : VMM_EXIT_FAIL;
}
