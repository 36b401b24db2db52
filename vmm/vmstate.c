/* vmm/vmstate.c: inspecting and cleaning a VM's runtime folder. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "paths.h"
#include "thatte-dirs.h"
#include "vmstate.h"

/* Everything a VM's runtime folder may hold, "lock" last. QEMU removes
 * its chardev sockets when it ends, but not vnc.sock or spice.sock. */
static const char *const runtime_files[] = {
        "qmp.sock", "events.sock", "run.sock", "events.lock", "serial.sock", "serial.log", "agent.sock",
        "vnc.sock", "spice.sock", "qemu.log", "pid", "pid.tmp", "profile", "channels", "channels.tmp", "system",
        "lock", NULL
};

const char *vmm_state_name(vmm_state s)
{
        static const char *const names[] = { "stopped", "running", "paused", "crashed" };

        return names[s];
}

void vmm_vm_path(const vmm_vm *vm, const char *file, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s", vm->rundir, file);
}

void vmm_vm_log_path(const vmm_vm *vm, char *buf, size_t size)
{
        char dir[4096];

        if (vmm_state_dir(vm->name, dir, sizeof(dir)) == 0)
                snprintf(buf, size, "%s/serial.log", dir);
        else
                vmm_vm_path(vm, "serial.log", buf, size);
}

/* Reads the start of a small file into buf, NUL-terminated. Returns the
 * byte count, or 0 or less when there is nothing to read. */
static ssize_t read_small(const char *path, int flags, char *buf, size_t size)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
        ssize_t n;

        if (fd < 0)
                return -1;
        n = read(fd, buf, size - 1);
        close(fd);
        if (n > 0)
                buf[n] = 0;
        return n;
}

int vmm_pid_is_vm(pid_t pid, const char *rundir)
{
        char path[64], want[4200], buf[16384];
        ssize_t n;

        if (pid <= 1)
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        n = read_small(path, 0, buf, sizeof(buf));
        if (n <= 0)
                return 0;
        snprintf(want, sizeof(want), "path=%s/qmp.sock,", rundir);
        for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
                if (strstr(buf + i, want))
                        return 1;
        return 0;
}

int vmm_vm_system(const vmm_vm *vm, char *buf, size_t size)
{
        char path[4200];
        ssize_t n;

        vmm_vm_path(vm, "system", path, sizeof(path));
        n = read_small(path, O_NOFOLLOW, buf, size);
        if (n <= 0)
                return -ENOENT;
        buf[strcspn(buf, "\n")] = 0;
        return 0;
}

void vmm_system_name(const char *path, char *buf, size_t size)
{
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t n = strlen(base);

        if (n > 5 && strcmp(base + n - 5, ".toml") == 0)
                n -= 5;
        snprintf(buf, size, "%.*s", (int)n, base);
}

static pid_t read_pid(const char *path)
{
        char buf[32];
        long v;

        if (read_small(path, O_NOFOLLOW, buf, sizeof(buf)) <= 0)
                return 0;
        v = strtol(buf, NULL, 10);
        return v > 1 && v < 1 << 30 ? (pid_t)v : 0;
}

int vmm_vm_inspect(const char *name, vmm_vm *vm)
{
        char path[4200];
        struct stat st;
        int r;

        memset(vm, 0, sizeof(*vm));
        snprintf(vm->name, sizeof(vm->name), "%s", name);
        r = vmm_runtime_dir(name, vm->rundir, sizeof(vm->rundir));
        if (r < 0)
                return r;
        /* The channel files' folder sits beside the VMs' but is none. */
        if (strcmp(name, "channels") == 0) {
                vm->state = VMM_STATE_STOPPED;
                return 0;
        }
        if (lstat(vm->rundir, &st) < 0) {
                if (errno != ENOENT)
                        return -errno;
                vm->state = VMM_STATE_STOPPED;
                return 0;
        }
        vmm_vm_path(vm, "lock", path, sizeof(path));
        r = thatte_lock_held(path);
        if (r < 0)
                return r;
        vm->state = r ? VMM_STATE_RUNNING : VMM_STATE_CRASHED;
        vmm_vm_path(vm, "pid", path, sizeof(path));
        vm->pid = read_pid(path);
        if (vm->pid && (vm->state != VMM_STATE_RUNNING || !vmm_pid_is_vm(vm->pid, vm->rundir)))
                vm->pid = 0;
        return 0;
}

int vmm_vm_clear(const char *rundir, bool keep_lock)
{
        char path[4200];
        int r = vmm_channels_release(rundir);

        for (size_t i = 0; runtime_files[i]; i++) {
                if (keep_lock && strcmp(runtime_files[i], "lock") == 0)
                        continue;
                snprintf(path, sizeof(path), "%s/%s", rundir, runtime_files[i]);
                if (unlink(path) < 0 && errno != ENOENT && r == 0)
                        r = -errno;
        }
        return r;
}

int vmm_vm_cleanup(const char *rundir)
{
        int r = vmm_vm_clear(rundir, false);

        if (rmdir(rundir) < 0 && errno != ENOENT && r == 0)
                r = -errno;
        return r;
}
