/* src/libthatte/spawn.c: fork + execvp from an argv array, then waitpid.
 *
 * A close-on-exec pipe carries errno from a failed execvp back to the
 * parent, so "program not found" is reported as -ENOENT instead of
 * looking like a program that exited with 127. */
/* pipe2, mkostemp and asprintf are GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

static void redirect_to_null(int fd, int flags)
{
        int null = open("/dev/null", flags | O_CLOEXEC);

        if (null < 0)
                return;
        (void)dup2(null, fd);
        (void)close(null);
}

static _Noreturn void run_child(const char *const argv[], unsigned flags, int report_fd)
{
        int e;

        if (flags & THATTE_SPAWN_NULL_STDIN)
                redirect_to_null(STDIN_FILENO, O_RDONLY);
        if (flags & THATTE_SPAWN_NULL_STDOUT)
                redirect_to_null(STDOUT_FILENO, O_WRONLY);
        execvp(argv[0], (char *const *)argv);
        e = errno;
        (void)!write(report_fd, &e, sizeof(e));
        _exit(127);
}

static int wait_child(pid_t pid, int *ret_status)
{
        int status;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (WIFEXITED(status))
                *ret_status = WEXITSTATUS(status);
        else
                *ret_status = 128 + WTERMSIG(status);
        return 0;
}

int thatte_spawn_wait(const char *const argv[], unsigned flags, int *ret_status)
{
        int report[2], exec_errno = 0, status = 0, r;
        ssize_t n;
        pid_t pid;

        if (!argv || !argv[0])
                return -EINVAL;
        if (pipe2(report, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                r = -errno;
                (void)close(report[0]);
                (void)close(report[1]);
                return r;
        }
        if (pid == 0)
                run_child(argv, flags, report[1]);

        (void)close(report[1]);
        do
                n = read(report[0], &exec_errno, sizeof(exec_errno));
        while (n < 0 && errno == EINTR);
        (void)close(report[0]);

        r = wait_child(pid, &status);
        if (r < 0)
                return r;
        if (n == (ssize_t)sizeof(exec_errno))
                return exec_errno > 0 ? -exec_errno : -ECHILD;
        *ret_status = status;
        return 0;
}
