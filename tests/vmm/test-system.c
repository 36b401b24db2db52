/* tests/vmm/test-system.c: system files (thatte-system.toml(5)): the
 * mapping, defaults, paths against the file's folder, and the line of
 * every error; the ready marker scan of a serial log (ready.c). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ready.h"
#include "thatte-dirs.h"
#include "scratch-file.h"
#include "system.h"
#include "tests/tap.h"
#include "vmstate.h"

static char dir[] = "/tmp/thatte-test-system-XXXXXX";
static char path[256];

static vmm_system *load(const char *text, thatte_toml_error *err)
{
        vmm_system *s = NULL;

        scratch_write(dir, "sys.toml", text);
        memset(err, 0, sizeof(*err));
        if (vmm_system_load(path, &s, err) < 0)
                return NULL;
        return s;
}

static void rejects(const char *text, unsigned line, const char *needle)
{
        thatte_toml_error err;
        vmm_system *s = load(text, &err);

        ok(s == NULL, "rejects: %s", needle);
        is_int(err.line, line, "  ... at line %u", line);
        if (!ok(strstr(err.message, needle) != NULL, "  ... message mentions '%s'", needle))
                tap_diag("message was: %s", err.message);
        vmm_system_free(s);
}

static void test_full(void)
{
        thatte_toml_error err;
        char want[300];
        vmm_system *s = load("# two VMs\n[[vm]]\nprofile = \"driveros\"\nready = \"compositor: ready$\"\n"
                             "timeout = 300\nchannels = [\"mk-display\", \"b_2\"]\n"
                             "[[vm]]\nprofile = \"sub/mk.toml\"\n"
                             "[[vm]]\nprofile = \"/abs/x.toml\"\n", &err);

        if (!ok(s != NULL, "system loads"))
                tap_diag("%u: %s", err.line, err.message);
        if (!s)
                return;
        is_int(s->n_vms, 3, "three VMs");
        ok(strcmp(s->name, "sys") == 0, "name: the file name without .toml");
        snprintf(want, sizeof(want), "%s/sys.toml", dir);
        ok(strcmp(s->file, want) == 0, "file: absolute");
        ok(strcmp(s->vms[0].profile, "driveros") == 0 && !s->vms[0].path, "a profile name stays a name");
        is_int(s->vms[0].timeout, 300, "timeout");
        ok(s->vms[0].ready && regexec(&s->vms[0].ready_re, "x compositor: ready", 0, NULL, 0) == 0 &&
           regexec(&s->vms[0].ready_re, "compositor: ready!", 0, NULL, 0) != 0, "ready is an extended regex");
        ok(s->vms[0].n_channels == 2 && strcmp(s->vms[0].channels[1], "b_2") == 0, "channels");
        snprintf(want, sizeof(want), "%s/sub/mk.toml", dir);
        ok(s->vms[1].path && strcmp(s->vms[1].path, want) == 0, "a relative path: against the file's folder");
        ok(!s->vms[1].ready && s->vms[1].n_channels == 0, "no ready, no channels");
        is_int(s->vms[1].timeout, 120, "timeout default 120 s");
        ok(s->vms[2].path && strcmp(s->vms[2].path, "/abs/x.toml") == 0, "an absolute path as is");
        is_int(s->vms[1].line, 7, "a VM's line");
        vmm_system_free(s);
}

static void test_names(void)
{
        char buf[64];

        vmm_system_name("/usr/share/thatte/systems/driveros-mk.toml", buf, sizeof(buf));
        ok(strcmp(buf, "driveros-mk") == 0, "system name from a path");
        vmm_system_name("plain", buf, sizeof(buf));
        ok(strcmp(buf, "plain") == 0, "system name without .toml");
}

/* The shipped system: two VMs found by name, one channel between them. */
static void test_shipped(void)
{
        thatte_toml_error err = { 0 };
        vmm_system *s = NULL;
        char src[512];

        snprintf(src, sizeof(src), "%s/data/systems/driveros-mk.toml", getenv("top_srcdir") ?: ".");
        if (!ok(vmm_system_load(src, &s, &err) == 0, "driveros-mk.toml loads"))
                tap_diag("%u: %s", err.line, err.message);
        if (!s)
                return;
        ok(s->n_vms == 2 && strcmp(s->vms[0].profile, "driveros") == 0 &&
           strcmp(s->vms[1].profile, "thatte-mk-direct") == 0, "  ... DriverOS, then the microkernel");
        ok(s->vms[0].n_channels == 1 && s->vms[1].n_channels == 1 &&
           strcmp(s->vms[0].channels[0], s->vms[1].channels[0]) == 0, "  ... sharing one channel");
        ok(s->vms[0].ready && regexec(&s->vms[0].ready_re, "thatte-compositor: drm 1280x800 XR24", 0, NULL, 0) == 0,
           "  ... DriverOS is ready when its compositor has a screen");
        ok(s->vms[1].ready && regexec(&s->vms[1].ready_re, "thatte-root: ready", 0, NULL, 0) == 0 &&
           regexec(&s->vms[1].ready_re, "thatte-user[5e]: thatte-root: ready", 0, NULL, 0) != 0,
           "  ... the microkernel when its root task says so, not a thread quoting it");
        vmm_system_free(s);
}

/* A guest's user program prints the marker, then enough to push the
 * line past what the scan keeps (its kept end then starts with the
 * marker): no match. The root's own line after it matches. */
static void test_ready(void)
{
        static char text[8192];
        char log[4200];
        vmm_vm vm = { .name = "thatte-test-no-such-vm" };
        volatile sig_atomic_t stop = 0;
        regex_t re;
        size_t n;

        snprintf(vm.rundir, sizeof(vm.rundir), "%s", dir);
        /* The serial log lives in the VM's state folder: put that in dir. */
        setenv("XDG_STATE_HOME", dir, 1);
        vmm_vm_log_path(&vm, log, sizeof(log));
        *strrchr(log, '/') = '\0';
        if (thatte_mkdir_private(log) < 0)
                exit(99);
        n = (size_t)snprintf(text, sizeof(text), "thatte-user[5e]: thatte-root: ready");
        memset(text + n, 'x', 4096 - 18);
        n += 4096 - 18;
        text[n] = '\n';
        scratch_write(log, "serial.log", text);
        if (regcomp(&re, "^thatte-root: ready", REG_EXTENDED | REG_NOSUB) != 0)
                return;
        /* No such VM runs: one scan of the whole log, then -ECHILD. */
        is_int(vmm_wait_ready(&vm, &re, 1, &stop), -ECHILD, "ready: an overlong user line is no marker");
        memcpy(text + n + 1, "thatte-root: ready\r\n", 21);
        scratch_write(log, "serial.log", text);
        is_int(vmm_wait_ready(&vm, &re, 1, &stop), 0, "ready: the root's line after it is");
        regfree(&re);
}

int main(void)
{
        scratch_make(dir);
        snprintf(path, sizeof(path), "%s/sys.toml", dir);
        test_full();
        test_names();
        test_shipped();
        test_ready();
        rejects("# empty\n", 1, "no [[vm]] table");
        rejects("[[vm]]\nready = \"x\"\n", 1, "[[vm]] profile is missing");
        rejects("[[vm]]\nprofile = \"a b\"\n", 2, "neither a path nor a profile name");
        rejects("[[vm]]\nprofile = 3\n", 2, "expected a string");
        rejects("[[vm]]\nprofile = \"a\"\nready = \"(\"\n", 3, "not a regular expression");
        rejects("[[vm]]\nprofile = \"a\"\nready = \"x\"\ntimeout = 0\n", 4, "out of range");
        rejects("[[vm]]\nprofile = \"a\"\ntimeout = 5\n", 3, "timeout needs ready");
        rejects("[[vm]]\nprofile = \"a\"\nchannels = \"c\"\n", 3, "expected an array");
        rejects("[[vm]]\nprofile = \"a\"\nchannels = [\n\"c\",\n\"a.b\"]\n", 5, "channel name");
        rejects("[[vm]]\nprofile = \"a\"\nchannels = [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]\n",
                3, "more than 8");
        rejects("[[vm]]\nprofile = \"a\"\nmemory = 5\n", 3, "unknown key 'memory'");
        rejects("[vm]\nprofile = \"a\"\n", 1, "[[vm]] tables");
        rejects("[system]\nname = \"a\"\n", 1, "unknown table [system]");
        rejects("name = \"a\"\n", 1, "outside a table");
        {
                thatte_toml_error err;
                vmm_system *s = NULL;

                is_int(vmm_system_load("/nonexistent/s.toml", &s, &err), -EINVAL, "a missing file");
                ok(err.line == 0 && strstr(err.message, "cannot open system file"), "  ... says so");
        }
        return tap_done();
}
