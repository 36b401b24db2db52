/* init-crash.c: `thatte.test=driveros-crash` (tests/boot/mk-driveros-crash.sh):
 * once the compositor has shown its first frame, thatte-init makes the
 * kernel panic through the magic SysRq trigger, which works for root
 * whatever kernel.sysrq says. With `panic=-1` Linux then reboots at once,
 * and under thatte-kvmm (no reset device) that reboot ends in a triple
 * fault: the VMM logs the crash and starts DriverOS again. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "driveros/init.h"

int init_crash_kernel(void)
{
        int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
        int r = 0;

        if (fd < 0)
                return -errno;
        init_log("thatte.test=driveros-crash: making the kernel panic");
        /* The console's last lines (the compositor's) out first: the
         * panic does not flush what user space wrote. */
        (void)tcdrain(STDERR_FILENO);
        if (write(fd, "c", 1) != 1)
                r = -errno;
        close(fd);
        return r;
}
