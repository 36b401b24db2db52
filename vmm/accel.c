/* vmm/accel.c: choosing between KVM and TCG. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"

int vmm_accel_resolve(vmm_accel want, vmm_accel *ret, char *why, size_t size)
{
        /* THATTE_VMM_KVM_DEVICE: for tests, a node that opens where /dev/kvm does not. */
        const char *dev = getenv("THATTE_VMM_KVM_DEVICE") ?: VMM_KVM_DEVICE;
        int fd, e;

        *why = 0;
        if (want == VMM_ACCEL_TCG) {
                *ret = VMM_ACCEL_TCG;
                return 0;
        }
        fd = open(dev, O_RDWR | O_CLOEXEC);
        if (fd >= 0) {
                close(fd);
                *ret = VMM_ACCEL_KVM;
                return 0;
        }
        e = errno;
        if (e == EACCES || e == EPERM)
                snprintf(why, size, "cannot open %s read-write (%s): add your user to the 'kvm' group",
                         dev, strerror(e));
        else
                snprintf(why, size, "%s: %s", dev, strerror(e));
        if (want == VMM_ACCEL_KVM)
                return -e;
        *ret = VMM_ACCEL_TCG;
        return 0;
}
