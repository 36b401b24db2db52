/* tests/compositor/test-init.c: PID 1 of the integration tests' initramfs.
 *
 * Mounts devtmpfs, proc and sysfs, loads the modules listed in /modules
 * (one path per line, dependencies first) with finit_module, runs
 * /thatte-compositor with the arguments listed in /compositor.args (one per
 * line; a line "--" starts another run), reports how each run ended and how
 * long it took, and powers the machine off. Its messages
 * start with "thatte-test-init:" so the tests can wait for them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 32

static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
        va_list ap;

        fprintf(stderr, "thatte-test-init: ");
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static void setup_console(void)
{
        (void)mkdir("/dev", 0755);
        (void)mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (fd >= 0) {
                dup2(fd, 0);
                dup2(fd, 1);
                dup2(fd, 2);
                if (fd > 2)
                        close(fd);
        }
        (void)mkdir("/proc", 0755);
        (void)mkdir("/sys", 0755);
        (void)mount("proc", "/proc", "proc", 0, NULL);
        (void)mount("sysfs", "/sys", "sysfs", 0, NULL);
}

static void chomp(char *s)
{
        s[strcspn(s, "\n")] = '\0';
}

static void load_modules(void)
{
        FILE *f = fopen("/modules", "r");
        char path[512];

        while (f && fgets(path, sizeof(path), f)) {
                chomp(path);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST))
                        say("loading %s failed: %s", path, strerror(errno));
                if (fd >= 0)
                        close(fd);
        }
        if (f)
                fclose(f);
}

static int run_compositor(char **argv)
{
        int status;
        pid_t pid = fork();

        if (pid == 0) {
                execv(argv[0], argv);
                say("running %s failed: %s", argv[0], strerror(errno));
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double now(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs the compositor once per group of lines in /compositor.args (groups
 * end at a line "--"), reporting each run's status and duration. */
static void run_all(void)
{
        static char lines[MAX_ARGS][256];
        char *argv[MAX_ARGS + 2] = { "/thatte-compositor" };
        FILE *f = fopen("/compositor.args", "r");
        int n = 1, run = 1;
        bool more = true;

        while (more) {
                more = f && n <= MAX_ARGS && fgets(lines[n - 1], sizeof(lines[0]), f);
                if (more)
                        chomp(lines[n - 1]);
                if (more && strcmp(lines[n - 1], "--") != 0) {
                        argv[n] = lines[n - 1];
                        n++;
                        continue;
                }
                if (!more && n == 1 && run > 1)
                        break;
                argv[n] = NULL;
                double start = now();
                int status = run_compositor(argv);
                say("run %d exited with status %d after %.3f s", run, status, now() - start);
                run++;
                n = 1;
        }
        if (f)
                fclose(f);
}

int main(void)
{
        setup_console();
        load_modules();
        say("modules loaded");
        run_all();
        say("done");
        sync();
        (void)reboot(RB_POWER_OFF);
        return 0;
}
