/* tests/compositor/test-init.c: PID 1 of the integration tests' initramfs.
 *
 * Mounts devtmpfs, proc and sysfs, loads the modules listed in /modules
 * (one path per line, dependencies first) with finit_module, runs
 * /thatte-compositor with the arguments listed in /compositor.args (one per
 * line; a line "--" starts another run; a line "@unbind PCI_ADDRESS" makes
 * the run's device vanish, as a hot-unplug would, once Enter is pressed on
 * the keyboard; a line "@term" sends SIGTERM instead),
 * reports how each run ended and how long it took, and powers the machine
 * off. Its messages
 * start with "thatte-test-init:" so the tests can wait for them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* Runs the compositor; with unbind_address, pulls its device away once
 * Enter is pressed (or, when it is "@term", sends SIGTERM then). Returns
 * its exit status. */
static int run_compositor(char **argv, const char *unbind_address)
{
        int status;
        pid_t pid = fork();

        if (pid == 0) {
                execv(argv[0], argv);
                say("running %s failed: %s", argv[0], strerror(errno));
                _exit(127);
        }
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
        const char *unbind_address = NULL;
        FILE *f = fopen("/compositor.args", "r");
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
                        else if (strcmp(line, "--") != 0)
                                argv[na++] = line;
                        if (strcmp(line, "--") != 0)
                                continue;
                } else if (na == 1 && run > 1)
                        break;
                argv[na] = NULL;
                double start = now();
                int status = run_compositor(argv, unbind_address);
                say("run %d exited with status %d after %.3f s", run, status, now() - start);
                run++;
                na = 1;
                unbind_address = NULL;
                if (!more)
                        break;
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
