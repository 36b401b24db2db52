/* tests/vmm/test-status-json.c: the JSON shape of `status --json` and
 * `list --json`, and how a runtime folder is judged: a free lock means a
 * crashed VM, a pid file naming a process that is not this VM's QEMU is
 * not trusted. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scratch-file.h"
#include "status-json.h"
#include "thatte-dirs.h"
#include "tests/tap.h"

static void is_json(json_object *o, const char *want, const char *what)
{
        const char *got = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "(null)";

        if (!ok(strcmp(got, want) == 0, "%s", what))
                tap_diag("got  %s\n# want %s", got, want);
        json_object_put(o);
}

static void test_json(void)
{
        vmm_status running = { .state = VMM_STATE_RUNNING, .pid = 42, .accel = "tcg", .uptime = 7,
                               .display = "VGA", .width = 1024, .height = 768, .system = "driveros-mk" };
        vmm_status stopped = { .state = VMM_STATE_STOPPED, .uptime = -1 };
        vmm_status paused = { .state = VMM_STATE_PAUSED, .pid = 9, .accel = "kvm", .uptime = 0 };

        is_json(vmm_status_json("efi-hello", &running),
                "{\"name\":\"efi-hello\",\"state\":\"running\",\"pid\":42,\"accel\":\"tcg\",\"uptime\":7,"
                "\"display\":{\"device\":\"VGA\",\"width\":1024,\"height\":768},\"system\":\"driveros-mk\"}",
                "running VM of a system");
        is_json(vmm_status_json("a", &stopped),
                "{\"name\":\"a\",\"state\":\"stopped\",\"pid\":null,\"accel\":null,\"uptime\":null,\"display\":null,"
                "\"system\":null}",
                "stopped VM: unknowns are null");
        is_json(vmm_status_json("b", &paused),
                "{\"name\":\"b\",\"state\":\"paused\",\"pid\":9,\"accel\":\"kvm\",\"uptime\":0,\"display\":null,\"system\":null}",
                "paused VM without display");
        ok(strcmp(vmm_state_name(VMM_STATE_CRASHED), "crashed") == 0, "state name crashed");
}

static void write_text(const char *path, const char *text)
{
        FILE *f = fopen(path, "w");

        if (!f)
                exit(99);
        fputs(text, f);
        fclose(f);
}

static void test_inspect(const char *root)
{
        char dir[512], path[600], pid[32];
        vmm_vm vm;
        int fd;

        setenv("XDG_RUNTIME_DIR", root, 1);
        ok(vmm_vm_inspect("nothing", &vm) == 0 && vm.state == VMM_STATE_STOPPED, "no folder: stopped");

        snprintf(dir, sizeof(dir), "%s/thatte-vmm/vm1", root);
        ok(thatte_mkdir_private(dir) == 0, "private folder created");
        snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
        snprintf(path, sizeof(path), "%s/pid", dir);
        write_text(path, pid);
        ok(vmm_vm_inspect("vm1", &vm) == 0 && vm.state == VMM_STATE_CRASHED && vm.pid == 0,
           "leftover folder, no lock: crashed, pid not trusted");

        snprintf(path, sizeof(path), "%s/lock", dir);
        ok(thatte_lock_take(path, &fd) == 0, "lock taken");
        is_int(thatte_lock_take(path, &(int){ 0 }), -EBUSY, "second lock refused");
        ok(vmm_vm_inspect("vm1", &vm) == 0 && vm.state == VMM_STATE_RUNNING, "lock held: running");
        is_int(vm.pid, 0, "pid of a process that is not this VM's QEMU is ignored");
        close(fd);
        ok(vmm_vm_cleanup(dir) == 0 && access(dir, F_OK) < 0, "cleanup removes the folder");

        ok(chmod(root, 0755) == 0 && thatte_mkdir_private(root) == -EPERM, "a group-readable folder is refused");
}

int main(void)
{
        char root[] = "/tmp/thatte-test-status-XXXXXX";

        scratch_make(root);
        test_json();
        test_inspect(root);
        return tap_done();
}
