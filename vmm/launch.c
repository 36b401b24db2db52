/* vmm/launch.c: starting QEMU.
 *
 * thatte-vmm forks a supervisor in a new session; the supervisor forks
 * QEMU (in yet another session), records its pid, waits for it, and
 * removes the runtime folder after a clean exit, or notes the cause in
 * qemu.log and leaves the folder for `status` to report "crashed". The
 * VM's flock is inherited by both, so it stays held exactly as long as
 * either lives, whoever started it has long returned. */
#define _GNU_SOURCE 1   /* close_range */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"
#include "kvm-fallback.h"
#include "launch.h"
#include "paths.h"
#include "ports.h"
#include "record.h"
#include "thatte-dirs.h"
#include "thatte-qmp.h"

#define LOCK_FD 3
#define LOG_FD 4

static void write_pid_file(const char *rundir, pid_t pid)
{
        char tmp[4200], path[4200], buf[32];
        int fd, n;

        snprintf(tmp, sizeof(tmp), "%s/pid.tmp", rundir);
        snprintf(path, sizeof(path), "%s/pid", rundir);
        n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                return;
        if (write(fd, buf, (size_t)n) == n && close(fd) == 0)
                (void)rename(tmp, path);
        else
                (void)unlink(tmp);
}

/* In the QEMU child: stdin /dev/null, output to qemu.log, the lock on fd 3,
 * nothing else open; own session; private files. Never returns. */
static void exec_qemu(const vmm_plan *plan)
{
        int null = open("/dev/null", O_RDONLY);

        (void)setsid();
        umask(0177);            /* sockets and logs 0600 */
        if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(LOG_FD, STDOUT_FILENO) < 0 ||
            dup2(LOG_FD, STDERR_FILENO) < 0)
                _exit(126);
        close_range(LOG_FD, ~0U, 0);
        (void)fcntl(LOCK_FD, F_SETFD, 0);      /* QEMU keeps the lock */
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execv(plan->argv.v[0], plan->argv.v);
        dprintf(STDERR_FILENO, VMM_PROG ": executing %s: %s\n", plan->argv.v[0], strerror(errno));
        _exit(127);
}

static void note_exit(int status)
{
        if (WIFSIGNALED(status))
                dprintf(LOG_FD, VMM_PROG ": QEMU killed by signal %d\n", WTERMSIG(status));
        else
                dprintf(LOG_FD, VMM_PROG ": QEMU exited with status %d\n", WEXITSTATUS(status));
}

/* The supervisor: lock on fd 3, qemu.log on fd 4. Never returns. */
static void supervise(const vmm_plan *plan)
{
        int status;
        pid_t pid;

        (void)setsid();
        signal(SIGINT, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        signal(SIGTERM, SIG_DFL);       /* `up` catches it; we never exec */
        (void)prctl(PR_SET_NAME, "thatte-vmm-sup");
        pid = fork();
        if (pid < 0)
                _exit(1);
        if (pid == 0)
                exec_qemu(plan);
        write_pid_file(plan->rundir, pid);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        _exit(1);
        /* QEMU is gone, so are its channel mappings: the last user's file goes. */
        (void)vmm_channels_release(plan->rundir);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                (void)vmm_vm_cleanup(plan->rundir);
                _exit(0);
        }
        note_exit(status);
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* Forks the supervisor with the lock and the log on fds 3 and 4. */
static int spawn_supervisor(const vmm_plan *plan, int lock_fd, int log_fd, pid_t *ret)
{
        pid_t pid;

        fflush(NULL);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR);
                sigset_t none;

                /* `run` blocks SIGINT for its signalfd; QEMU must not inherit that. */
                sigemptyset(&none);
                (void)sigprocmask(SIG_SETMASK, &none, NULL);
                if (null < 0 || dup2(lock_fd, LOCK_FD) < 0 || dup2(log_fd, LOG_FD) < 0 ||
                    dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0 ||
                    dup2(null, STDERR_FILENO) < 0)
                        _exit(126);
                close_range(LOG_FD + 1, ~0U, 0);
                supervise(plan);
        }
        *ret = pid;
        return 0;
}

static void show_log_tail(const char *rundir)
{
        char path[4200], buf[2048];
        ssize_t n;
        off_t size;
        int fd;

        snprintf(path, sizeof(path), "%s/qemu.log", rundir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return;
        size = lseek(fd, 0, SEEK_END);
        (void)lseek(fd, size > (off_t)sizeof(buf) - 1 ? size - (off_t)sizeof(buf) + 1 : 0, SEEK_SET);
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n > 0) {
                buf[n] = 0;
                fprintf(stderr, "%s", buf);
        }
}

/* Waits until QMP answers and the pid is recorded, or the supervisor ends. */
static int wait_ready(vmm_plan *plan, pid_t sup, vmm_vm *vm)
{
        long long deadline = thatte_now_ms() + 60000;
        char qmp[4200], name[sizeof(vm->name)];
        int status;

        snprintf(name, sizeof(name), "%s", vm->name);
        snprintf(qmp, sizeof(qmp), "%s/qmp.sock", plan->rundir);
        while (thatte_now_ms() < deadline) {
                thatte_qmp *q = NULL;

                if (waitpid(sup, &status, WNOHANG) == sup) {
                        if (plan->kvm_fallback &&
                            vmm_log_kvm_error(plan->rundir, plan->kvm_why, sizeof(plan->kvm_why))) {
                                (void)vmm_vm_cleanup(plan->rundir);
                                return VMM_EXIT_KVM_FAILED;
                        }
                        vmm_err("QEMU exited during start-up; its log follows");
                        show_log_tail(plan->rundir);
                        (void)vmm_vm_cleanup(plan->rundir);
                        return VMM_EXIT_FAIL;
                }
                if (thatte_qmp_connect(qmp, 1000, &q) == 0) {
                        thatte_qmp_free(q);
                        if (vmm_vm_inspect(name, vm) == 0 && vm->pid)
                                return VMM_EXIT_OK;
                }
                usleep(20000);
        }
        vmm_err("QEMU did not answer on %s within 60 s", qmp);
        return VMM_EXIT_FAIL;
}

static int open_runtime(const vmm_profile *p, const vmm_plan *plan, int *lock_fd, int *log_fd)
{
        char path[4200];
        vmm_vm vm;
        int r;

        r = thatte_mkdir_private(plan->rundir);
        if (r < 0) {
                vmm_err("runtime folder %s: %s", plan->rundir,
                        r == -EPERM ? "not a private folder owned by you" : strerror(-r));
                return VMM_EXIT_FAIL;
        }
        snprintf(path, sizeof(path), "%s/lock", plan->rundir);
        r = thatte_lock_take(path, lock_fd);
        if (r == -EBUSY) {
                /* The lock is held but no QEMU pid is recorded (yet, or any
                 * more): another thatte-vmm is starting or stopping it. */
                if (vmm_vm_inspect(p->name, &vm) == 0 && vm.pid)
                        vmm_err("VM '%s' is already running (pid %d); not starting it twice", p->name, (int)vm.pid);
                else
                        vmm_err("VM '%s' is being started or stopped by another thatte-vmm "
                                "(its runtime folder is locked, QEMU has no pid yet); not starting it twice",
                                p->name);
                return VMM_EXIT_FAIL;
        }
        if (r < 0) {
                vmm_err("locking %s: %s", path, strerror(-r));
                return VMM_EXIT_FAIL;
        }
        /* We hold the lock, so anything else here is a dead VM's leftovers. */
        snprintf(path, sizeof(path), "%s/pid", plan->rundir);
        if (access(path, F_OK) == 0)
                vmm_err("VM '%s' had crashed; removing its stale runtime files", p->name);
        (void)vmm_vm_clear(plan->rundir, true);
        if (p->serial) {
                /* Readers of RUNDIR/serial.log (ready.c, console) find the
                 * state folder's, which QEMU writes and which stays after stop. */
                char target[4200];

                snprintf(target, sizeof(target), "%s/serial.log", plan->statedir);
                if (!plan->launch.incoming)
                        (void)unlink(target);   /* no marker of the last run is ever read as new */
                snprintf(path, sizeof(path), "%s/serial.log", plan->rundir);
                if (symlink(target, path) < 0) vmm_err("linking %s: %s", path, strerror(errno));
        }
        snprintf(path, sizeof(path), "%s/qemu.log", plan->rundir);
        *log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
        if (*log_fd < 0) {
                vmm_err("creating %s: %s", path, strerror(errno));
                close(*lock_fd);
                return VMM_EXIT_FAIL;
        }
        return VMM_EXIT_OK;
}

/* RUNDIR/system: the system file (thatte-system.toml(5)) that started the VM. */
static int write_system(const vmm_plan *plan)
{
        char path[4200];
        FILE *f;

        if (!plan->system)
                return 0;
        snprintf(path, sizeof(path), "%s/system", plan->rundir);
        f = vmm_fopen_private(path);
        if (!f)
                return -errno;
        fprintf(f, "%s\n", plan->system);
        return fclose(f) == 0 ? 0 : -errno;
}

static int take_channels(const vmm_profile *p, const vmm_plan *plan)
{
        char why[4600];
        int e = vmm_channels_acquire(p, plan->rundir, why, sizeof(why));

        if (e == 0 && (e = write_system(plan)) < 0)
                snprintf(why, sizeof(why), "recording the system in %s: %s", plan->rundir, strerror(-e));
        if (e == 0)
                return VMM_EXIT_OK;
        vmm_err("VM '%s': %s; not starting it", p->name, why);
        return VMM_EXIT_FAIL;
}

static int check_ports(const vmm_profile *p)
{
        char why[256];

        if (vmm_forwards_free(p, why, sizeof(why)) == 0)
                return VMM_EXIT_OK;
        vmm_err("VM '%s': %s; not starting it", p->name, why);
        return VMM_EXIT_FAIL;
}

int vmm_launch_vm(const vmm_profile *p, vmm_plan *plan, vmm_vm *vm)
{
        int lock_fd = -1, log_fd = -1, r;
        pid_t sup = 0;

        r = open_runtime(p, plan, &lock_fd, &log_fd);
        if (r != VMM_EXIT_OK)
                return r;
        r = check_ports(p);
        r = r ?: vmm_prepare_state(p, plan);
        r = r ?: take_channels(p, plan);
        if (r == VMM_EXIT_OK) {
                int e = vmm_record_write_launch(plan->rundir, p, plan->launch.accel);

                if (e < 0) {
                        vmm_err("recording the profile in %s: %s", plan->rundir, strerror(-e));
                        r = VMM_EXIT_FAIL;
                }
        }
        if (r == VMM_EXIT_OK) {
                int e = spawn_supervisor(plan, lock_fd, log_fd, &sup);

                if (e < 0) {
                        vmm_err("fork: %s", strerror(-e));
                        r = VMM_EXIT_FAIL;
                }
        }
        close(log_fd);
        if (r != VMM_EXIT_OK) {
                (void)vmm_vm_cleanup(plan->rundir);
                close(lock_fd);
                return r;
        }
        snprintf(vm->name, sizeof(vm->name), "%s", p->name);
        r = wait_ready(plan, sup, vm);
        close(lock_fd);
        return r;
}
