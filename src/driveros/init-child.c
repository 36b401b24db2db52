/* init-child.c: starting and restarting thatte-init's children. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driveros/init-child.h"
#include "driveros/init.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 30000
#define STABLE_RUN_MS 10000

uint64_t init_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t init_child_backoff_ms(unsigned failures)
{
        uint64_t d = BACKOFF_FIRST_MS;

        for (unsigned i = 1; i < failures && d < BACKOFF_MAX_MS; i++)
                d *= 2;
        return d < BACKOFF_MAX_MS ? d : BACKOFF_MAX_MS;
}

/* In the child: wire fds 0-2, then exec. Never returns. */
static void exec_child(struct init_child *c, int out_w)
{
        static char *const envp[] = {
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "TERM=linux", NULL
        };
        int in;

        init_default_signals();
        (void)setsid();
        if (c->on_console) {
                int con = open("/dev/console", O_RDWR);
                if (con >= 0) {
                        (void)ioctl(con, TIOCSCTTY, 1);
                        for (int i = 0; i < 3; i++)
                                (void)dup2(con, i);
                }
        } else {
                in = open("/dev/null", O_RDONLY);
                if (in >= 0)
                        (void)dup2(in, STDIN_FILENO);
        }
        if (out_w >= 0) {
                (void)dup2(out_w, STDOUT_FILENO);
                (void)dup2(out_w, STDERR_FILENO);
        }
        execve(c->argv[0], c->argv, envp);
        init_log("starting %s (%s) failed: %m", c->name, c->argv[0]);
        _exit(127);
}

int init_child_start(struct init_child *c)
{
        int p[2] = { -1, -1 };
        pid_t pid;

        if (c->capture && pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                int r = -errno;
                if (p[0] >= 0) {
                        close(p[0]);
                        close(p[1]);
                }
                return r;
        }
        if (pid == 0)
                exec_child(c, p[1]);
        if (p[1] >= 0)
                close(p[1]);
        if (p[0] >= 0)
                (void)fcntl(p[0], F_SETFL, O_NONBLOCK);
        if (c->out_fd >= 0)
                close(c->out_fd);
        c->out_fd = p[0];
        c->pid = pid;
        c->started_ms = init_now_ms();
        c->restart_at_ms = 0;
        return 0;
}

void init_child_exited(struct init_child *c, int status)
{
        uint64_t now = init_now_ms();

        if (WIFSIGNALED(status))
                init_log("%s killed by signal %d", c->name, WTERMSIG(status));
        else
                init_log("%s exited with status %d", c->name, WEXITSTATUS(status));
        if (now - c->started_ms >= STABLE_RUN_MS)
                c->failures = 0;
        c->failures++;
        c->pid = 0;
        c->restart_at_ms = now + init_child_backoff_ms(c->failures);
}
