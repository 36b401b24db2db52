/* init-power.c: the power button as an evdev device.
 *
 * On a PC the acpi "button" module registers an input device named "Power
 * Button"; on QEMU's arm64 virt machine the device tree's gpio-keys node
 * (a PL061 line) makes "gpio-keys". QEMU's system_powerdown (thatte-vmm
 * stop) presses it; only KEY_POWER counts. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "driveros/init.h"

static bool is_power_button(const char *event)
{
        char path[320], name[128] = "";
        FILE *f;

        snprintf(path, sizeof path, "/sys/class/input/%s/device/name", event);
        f = fopen(path, "re");
        if (!f)
                return false;
        if (!fgets(name, sizeof name, f))
                name[0] = '\0';
        fclose(f);
        name[strcspn(name, "\n")] = '\0';
        return !strcmp(name, "Power Button") || !strcmp(name, "gpio-keys");
}

int init_power_button_open(void)
{
        struct dirent *de;
        DIR *d;
        int fd = -ENOENT;

        d = opendir("/sys/class/input");
        if (!d)
                return -ENOENT;
        while (fd < 0 && (de = readdir(d))) {
                char dev[300];

                if (strncmp(de->d_name, "event", 5) || !is_power_button(de->d_name))
                        continue;
                snprintf(dev, sizeof dev, "/dev/input/%s", de->d_name);
                fd = open(dev, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                if (fd < 0)
                        fd = -errno;
        }
        closedir(d);
        return fd;
}

int init_power_button_pressed(int fd)
{
        struct input_event ev[16];
        int pressed = 0;

        for (;;) {
                ssize_t n = read(fd, ev, sizeof ev);

                if (n < 0)
                        return errno == EAGAIN ? pressed : -errno;
                if (n == 0)
                        return -ENODEV;
                for (size_t i = 0; i < (size_t)n / sizeof ev[0]; i++)
                        if (ev[i].type == EV_KEY && ev[i].code == KEY_POWER && ev[i].value == 1)
                                pressed = 1;
        }
}
