/* init-setup.c: thatte-init's one-time setup: file systems, console,
 * modules, hostname and the loopback interface. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "driveros/init.h"

void init_log(const char *fmt, ...)
{
        char buf[512];
        va_list ap;
        int n;

        n = snprintf(buf, sizeof buf, "thatte-init: ");
        va_start(ap, fmt);
        vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
        va_end(ap);
        n = (int)strlen(buf);
        buf[n++] = '\n';
        /* One write, so the line is never interleaved with the compositor's. */
        (void)!write(STDERR_FILENO, buf, (size_t)n);
}

void init_default_signals(void)
{
        sigset_t none;

        for (int s = 1; s < NSIG; s++)
                (void)signal(s, SIG_DFL);
        sigemptyset(&none);
        (void)sigprocmask(SIG_SETMASK, &none, NULL);
}

struct mount_point {
        const char *what, *where, *type, *options;
        unsigned long flags;
        mode_t mode;
};

static const struct mount_point mounts[] = {
        { "proc", "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0555 },
        { "sysfs", "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0555 },
        { "devtmpfs", "/dev", "devtmpfs", "mode=0755", MS_NOSUID, 0755 },
        { "devpts", "/dev/pts", "devpts", "mode=0620,ptmxmode=0666", MS_NOSUID | MS_NOEXEC, 0755 },
        { "tmpfs", "/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV, 0755 },
        { "tmpfs", "/tmp", "tmpfs", "mode=1777", MS_NOSUID | MS_NODEV, 01777 },
};

static void reopen_console(void)
{
        int fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);

        if (fd < 0)
                return;
        for (int i = 0; i < 3; i++)
                (void)dup2(fd, i);
        if (fd > 2)
                close(fd);
}

int init_mount_all(void)
{
        int first = 0;

        for (size_t i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
                const struct mount_point *m = &mounts[i];

                if (mkdir(m->where, m->mode) < 0 && errno != EEXIST) {
                        init_log("mkdir %s failed: %m", m->where);
                        first = first ? first : -errno;
                        continue;
                }
                if (mount(m->what, m->where, m->type, m->flags, m->options) < 0 && errno != EBUSY) {
                        init_log("mount %s failed: %m", m->where);
                        first = first ? first : -errno;
                }
                if (!strcmp(m->where, "/dev"))
                        reopen_console();
        }
        return first;
}

static int load_one(const char *path)
{
        int fd, r = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
                r = -errno;
        close(fd);
        return r;
}

int init_load_modules(const char *list)
{
        char line[4096];
        FILE *f;
        int loaded = 0;

        f = fopen(list, "re");
        if (!f)
                return -errno;
        while (fgets(line, sizeof line, f)) {
                int r;

                line[strcspn(line, "\r\n")] = '\0';
                if (line[0] == '\0' || line[0] == '#')
                        continue;
                r = load_one(line);
                if (r < 0)
                        init_log("loading %s failed: %s", line, strerror(-r));
                else
                        loaded++;
        }
        fclose(f);
        return loaded;
}

int init_set_hostname(const char *name)
{
        return sethostname(name, strlen(name)) < 0 ? -errno : 0;
}

int init_loopback_up(void)
{
        struct ifreq ifr = { 0 };
        int fd, r = 0;

        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                r = -errno;
        if (r == 0) {
                ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
                if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                        r = -errno;
        }
        close(fd);
        return r;
}
