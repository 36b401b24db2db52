/* driveros-floor-init: the floor of the DriverOS boot benchmark: a PID 1
 * that only makes the console reachable, prints a marker and powers off.
 * Booting it measures the kernel alone (same kernel, same QEMU). */
#include "config.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
        static const char marker[] = "driveros-floor: up\n";
        int fd;

        (void)mkdir("/dev", 0755);
        (void)mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        fd = open("/dev/console", O_WRONLY);
        if (fd >= 0)
                (void)!write(fd, marker, sizeof marker - 1);
        sync();
        (void)reboot(RB_POWER_OFF);
        for (;;)
                pause();
}
