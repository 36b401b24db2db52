/* mk-spawn.c: fork + execvp with an interruptible wait. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "driveros/mk-spawn.h"

#define EXEC_FAILED 127
#define KILL_GRACE_MS 3000

volatile sig_atomic_t mk_interrupted;

static void on_signal(int sig)
{
        mk_interrupted = sig;
}

void mk_spawn_trap_signals(void)
{
        struct sigaction sa = { .sa_handler = on_signal };

        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGINT, &sa, NULL);
        (void)sigaction(SIGTERM, &sa, NULL);
        (void)sigaction(SIGHUP, &sa, NULL);
}

static void __attribute__((noreturn)) child(char *const argv[], const char *cwd, int out, bool verbose)
{
        int null = open("/dev/null", O_RDWR);

        (void)setpgid(0, 0);
        (void)signal(SIGINT, SIG_DFL);
        (void)signal(SIGTERM, SIG_DFL);
        (void)signal(SIGHUP, SIG_DFL);
        if (null >= 0)
                (void)dup2(null, STDIN_FILENO);
        if (out >= 0)
                (void)dup2(out, STDOUT_FILENO);
        else
                (void)dup2(verbose ? STDERR_FILENO : null, STDOUT_FILENO);
        if (cwd && chdir(cwd) < 0)
                _exit(EXEC_FAILED);
        execvp(argv[0], argv);
        _exit(EXEC_FAILED);
}

/* Appends what is readable on FD to the growing buffer *buf. */
static int collect(int fd, char **buf, size_t *len, size_t *cap)
{
        char tmp[8192];
        ssize_t n = read(fd, tmp, sizeof tmp);

        if (n <= 0)
                return n < 0 && errno != EINTR ? -errno : (int)n;
        if (*len + (size_t)n + 1 > *cap) {
                size_t nc = (*len + (size_t)n + 1) * 2;
                char *nb = realloc(*buf, nc);
                if (!nb)
                        return -ENOMEM;
                *buf = nb;
                *cap = nc;
        }
        memcpy(*buf + *len, tmp, (size_t)n);
        *len += (size_t)n;
        (*buf)[*len] = '\0';
        return 1;
}

/* Ends the child's whole group: TERM, then KILL after a grace period. */
static void stop_group(pid_t pid)
{
        int status;

        (void)kill(-pid, SIGTERM);
        for (int waited = 0; waited < KILL_GRACE_MS; waited += 50) {
                if (waitpid(pid, &status, WNOHANG) == pid) {
                        (void)kill(-pid, SIGKILL);      /* grandchildren left over */
                        return;
                }
                usleep(50000);
        }
        (void)kill(-pid, SIGKILL);
        (void)waitpid(pid, &status, 0);
}

struct watcher {
        void (*line)(const char *text, void *userdata);
        void *userdata;
};

/* Hands the complete lines at the start of buf to w and keeps the rest. */
static void dispatch(const struct watcher *w, char *buf, size_t *len)
{
        char *start = buf, *nl;

        while ((nl = memchr(start, '\n', *len - (size_t)(start - buf)))) {
                *nl = '\0';
                w->line(start, w->userdata);
                start = nl + 1;
        }
        *len -= (size_t)(start - buf);
        memmove(buf, start, *len + 1);
}

static int wait_child(pid_t pid, int out, const struct watcher *w, char **buf, size_t *len,
                      size_t *cap)
{
        int status, r;

        while (out >= 0) {
                struct pollfd p = { .fd = out, .events = POLLIN };

                if (mk_interrupted)
                        break;
                if (poll(&p, 1, -1) < 0)
                        continue;
                r = collect(out, buf, len, cap);
                if (r <= 0)
                        break;
                if (w)
                        dispatch(w, *buf, len);
        }
        if (w && *len)                  /* a last line without its newline */
                w->line(*buf, w->userdata);
        for (;;) {
                if (mk_interrupted) {
                        stop_group(pid);
                        return -EINTR;
                }
                if (waitpid(pid, &status, 0) == pid)
                        break;
                if (errno != EINTR)
                        return -errno;
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED)
                return -ENOENT;
        return -EPROTO;
}

static int spawn(char *const argv[], const char *cwd, bool verbose, const struct watcher *w,
                 char **ret_output)
{
        int p[2] = { -1, -1 }, r;
        char *buf = NULL;
        size_t len = 0, cap = 0;
        pid_t pid;

        if (mk_interrupted)
                return -EINTR;
        if ((ret_output || w) && pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid == 0)
                child(argv, cwd, p[1], verbose);
        if (p[1] >= 0)
                close(p[1]);
        if (pid < 0) {
                r = -errno;
                if (p[0] >= 0)
                        close(p[0]);
                return r;
        }
        (void)setpgid(pid, pid);        /* also here: no race with a signal */
        r = wait_child(pid, p[0], w, &buf, &len, &cap);
        if (p[0] >= 0)
                close(p[0]);
        if (r == 0 && ret_output) {
                *ret_output = buf ? buf : strdup("");
                return *ret_output ? 0 : -ENOMEM;
        }
        free(buf);
        return r;
}

int mk_spawn_run(char *const argv[], const char *cwd, bool verbose, char **ret_output)
{
        return spawn(argv, cwd, verbose, NULL, ret_output);
}

int mk_spawn_lines(char *const argv[], const char *cwd, void (*line)(const char *text, void *userdata),
                   void *userdata)
{
        struct watcher w = { line, userdata };

        return spawn(argv, cwd, false, &w, NULL);
}

int mk_spawn_interactive(char *const argv[])
{
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return -errno;
        if (pid == 0) {                 /* the terminal's foreground group: ours */
                (void)signal(SIGINT, SIG_DFL);
                (void)signal(SIGTERM, SIG_DFL);
                (void)signal(SIGHUP, SIG_DFL);
                execvp(argv[0], argv);
                _exit(EXEC_FAILED);
        }
        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR)
                        return -errno;
                /* A signal from the terminal reached it too; one sent to us alone is passed on. */
                if (mk_interrupted)
                        (void)kill(pid, SIGTERM);
        }
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return mk_interrupted ? -EINTR : 0;
        if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED)
                return -ENOENT;
        return mk_interrupted ? -EINTR : -EPROTO;
}
