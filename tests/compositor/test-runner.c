/* tests/compositor/test-runner.c: runs thatte-compositor several times in
 * one boot of a DriverOS initramfs, for the compositor's QEMU tests.
 *
 * thatte-driveros-make puts it into the image (--add) with the argument
 * file, and the test boots with thatte.compositor_path pointing here, so
 * thatte-init (PID 1) has mounted everything, loaded the modules and relays
 * this program's output to the console. It runs /usr/bin/thatte-compositor
 * with the arguments listed in RUNNER_ARGS (one per line; a line "--"
 * starts another run; a line "@unbind PCI_ADDRESS" makes the run's device
 * vanish, as a hot-unplug would, once Enter is pressed on the keyboard; a
 * line "@term" sends SIGTERM instead; a line "@also PROGRAM ARG..." starts
 * that program next to the run and sends the compositor SIGTERM once it
 * exits), reports how each run ended and how
 * long it took, then asks thatte-init to power off (SIGTERM to PID 1) and
 * waits, since init would restart it if it exited. Its messages start with
 * "thatte-test-runner:" so the tests can wait for them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNNER_ARGS "/etc/thatte-test/compositor.args"
#define COMPOSITOR "/usr/bin/thatte-compositor"
#define MAX_ARGS 32

/* One write per line: thatte-init and the kernel share the console, and a
 * line written in pieces can be split by theirs (the tests match whole
 * lines). */
static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
        char line[512];
        va_list ap;
        int n = snprintf(line, sizeof(line), "thatte-test-runner: ");

        va_start(ap, fmt);
        vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
        va_end(ap);
        n = (int)strlen(line);
        line[n++] = '\n';
        (void)!write(STDERR_FILENO, line, (size_t)n);
}

static void chomp(char *s)
{
        s[strcspn(s, "\n")] = '\0';
}

/* Unbinds a PCI device from its driver, as a hot-unplug would remove it. */
static void unbind(const char *pci_address)
{
        char path[256];
        int fd;

        snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", pci_address);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, pci_address, strlen(pci_address)) < 0)
                say("unbinding %s failed: %s", pci_address, strerror(errno));
        else
                say("unbound %s", pci_address);
        if (fd >= 0)
                close(fd);
}

/* Blocks until a line arrives on the first virtual terminal: the test
 * presses Enter through QMP send-key when it has seen what it wanted. */
static void wait_for_enter(void)
{
        char buf[64];
        int fd = open("/dev/tty1", O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
                say("waiting for a key on /dev/tty1 failed: %s", strerror(errno));
        if (fd >= 0)
                close(fd);
}

/* Starts argv[0] with argv; returns its pid, or -1. */
static pid_t spawn(char **argv)
{
        pid_t pid = fork();

        if (pid == 0) {
                execv(argv[0], argv);
                say("running %s failed: %s", argv[0], strerror(errno));
                _exit(127);
        }
        return pid;
}

/* Runs the compositor; with unbind_address, pulls its device away once
 * Enter is pressed (or, when it is "@term", sends SIGTERM then). Returns
 * its exit status. */
static int run_compositor(char **argv, const char *unbind_address)
{
        int status;
        pid_t pid = spawn(argv);

        if (pid < 0)
                return -1;
        if (unbind_address && strcmp(unbind_address, "@term") == 0) {
                say("press Enter to send SIGTERM");
                wait_for_enter();
                kill(pid, SIGTERM);
        } else if (unbind_address) {
                say("press Enter to unbind %s", unbind_address);
                wait_for_enter();
                unbind(unbind_address);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Starts the "@also" program (its words split at spaces). */
static pid_t start_companion(char *line)
{
        char *argv[MAX_ARGS + 1];
        int n = 0;

        for (char *w = strtok(line, " "); w && n < MAX_ARGS; w = strtok(NULL, " "))
                argv[n++] = w;
        argv[n] = NULL;
        return spawn(argv);
}

static int run_with_companion(char **argv, char *companion)
{
        int status;
        pid_t pid = spawn(argv), other;

        if (pid < 0)
                return -1;
        other = start_companion(companion);
        if (other > 0 && waitpid(other, &status, 0) == other)
                say("%s exited with status %d", companion,
                    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        kill(pid, SIGTERM);
        if (waitpid(pid, &status, 0) < 0)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double now(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs the compositor once per group of lines in RUNNER_ARGS (groups
 * end at a line "--"), reporting each run's status and duration. */
static void run_all(void)
{
        static char lines[MAX_ARGS][256];
        char *argv[MAX_ARGS + 2] = { COMPOSITOR };
        const char *unbind_address = NULL;
        char *companion = NULL;
        FILE *f = fopen(RUNNER_ARGS, "re");
        int nl = 0, na = 1, run = 1;

        for (;;) {
                char *line = lines[nl];
                bool more = f && nl < MAX_ARGS && fgets(line, sizeof(lines[0]), f);

                if (more) {
                        chomp(line);
                        nl++;
                        if (strncmp(line, "@unbind ", 8) == 0)
                                unbind_address = line + 8;
                        else if (strcmp(line, "@term") == 0)
                                unbind_address = line;
                        else if (strncmp(line, "@also ", 6) == 0)
                                companion = line + 6;
                        else if (strcmp(line, "--") != 0)
                                argv[na++] = line;
                        if (strcmp(line, "--") != 0)
                                continue;
                } else if (na == 1 && run > 1)
                        break;
                argv[na] = NULL;
                double start = now();
                int status = companion ? run_with_companion(argv, companion)
                                       : run_compositor(argv, unbind_address);
                say("run %d exited with status %d after %.3f s", run, status, now() - start);
                run++;
                na = 1;
                unbind_address = NULL;
                companion = NULL;
                if (!more)
                        break;
        }
        if (f)
                fclose(f);
}

int main(void)
{
        /* Unbuffered like stderr, so lines reach init's relay in order. */
        setvbuf(stdout, NULL, _IONBF, 0);
        run_all();
        say("done");
        if (kill(1, SIGTERM) < 0)
                say("asking init to power off failed: %s", strerror(errno));
        for (;;)
                pause();
}
