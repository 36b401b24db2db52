/* compositor/doorbell.c: MSI-X vector 0 of an ivshmem function as an
 * eventfd, through VFIO. The function's BARs stay mapped through sysfs as
 * everywhere else (sources.c); VFIO is used for the interrupt only. The
 * group is found from the function's iommu_group link: a no-IOMMU group's
 * node is /dev/vfio/noiommu-N (CAP_SYS_RAWIO), an IOMMU one's /dev/vfio/N.
 * Anything missing on the way is a reason to poll, said once by the
 * caller. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "compositor/doorbell.h"

/* The sysfs folder of the function (resource_path minus "/resource2"),
 * its name (0000:00:03.0) and its group's number. */
static int locate(const char *resource_path, char *name, size_t namelen, char *group,
                  size_t grouplen)
{
        char dir[256], link[300], target[256], copy[256];
        const char *slash = strrchr(resource_path, '/');
        ssize_t n;

        if (!slash || (size_t)(slash - resource_path) >= sizeof(dir))
                return -ENOENT;
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - resource_path), resource_path);
        snprintf(copy, sizeof(copy), "%s", dir);
        snprintf(name, namelen, "%s", basename(copy));
        snprintf(link, sizeof(link), "%s/iommu_group", dir);
        n = readlink(link, target, sizeof(target) - 1);
        if (n < 0)
                return -errno;
        target[n] = '\0';
        snprintf(group, grouplen, "%s", basename(target));
        return 0;
}

static int open_group(const char *group, int *ret)
{
        char path[64];
        int fd;

        snprintf(path, sizeof(path), "/dev/vfio/noiommu-%s", group);
        fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                snprintf(path, sizeof(path), "/dev/vfio/%s", group);
                fd = open(path, O_RDWR | O_CLOEXEC);
        }
        if (fd < 0)
                return -errno;
        *ret = fd;
        return 0;
}

/* Container and group joined, the IOMMU model set, the device's fd. */
static int open_device(struct comp_doorbell *b, const char *name, const char *group,
                       const char **step)
{
        struct vfio_group_status st = { .argsz = sizeof(st) };
        int r;

        *step = "opening the group";
        if ((r = open_group(group, &b->group)) < 0)
                return r;
        *step = "opening /dev/vfio/vfio";
        b->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
        if (b->container < 0)
                return -errno;
        *step = "checking the API";
        if (ioctl(b->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
                return -EPROTO;
        *step = "the group's status";
        if (ioctl(b->group, VFIO_GROUP_GET_STATUS, &st) < 0)
                return -errno;
        if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE))
                return -EBUSY;
        *step = "joining the container";
        if (ioctl(b->group, VFIO_GROUP_SET_CONTAINER, &b->container) < 0)
                return -errno;
        *step = "setting the IOMMU model";
        if (ioctl(b->container, VFIO_SET_IOMMU,
                  ioctl(b->container, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU) > 0
                          ? VFIO_NOIOMMU_IOMMU : VFIO_TYPE1_IOMMU) < 0)
                return -errno;
        *step = "getting the device";
        b->device = ioctl(b->group, VFIO_GROUP_GET_DEVICE_FD, name);
        return b->device < 0 ? -errno : 0;
}

/* Vector 0 of MSI-X to a new eventfd. */
static int trigger(struct comp_doorbell *b, const char **step)
{
        struct vfio_irq_info info = { .argsz = sizeof(info), .index = VFIO_PCI_MSIX_IRQ_INDEX };
        struct {
                struct vfio_irq_set set;
                int32_t fd;
        } s;

        *step = "asking for MSI-X";
        if (ioctl(b->device, VFIO_DEVICE_GET_IRQ_INFO, &info) < 0)
                return -errno;
        if (info.count < 1 || !(info.flags & VFIO_IRQ_INFO_EVENTFD))
                return -ENXIO;
        *step = "making the eventfd";
        b->event = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (b->event < 0)
                return -errno;
        memset(&s, 0, sizeof(s));
        s.set.argsz = sizeof(s);
        s.set.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
        s.set.index = VFIO_PCI_MSIX_IRQ_INDEX;
        s.set.start = 0;
        s.set.count = 1;
        s.fd = b->event;
        *step = "enabling MSI-X vector 0";
        return ioctl(b->device, VFIO_DEVICE_SET_IRQS, &s) < 0 ? -errno : 0;
}

int comp_doorbell_open(struct comp_doorbell *b, const char *resource_path, char *err,
                       size_t errlen)
{
        char name[64], group[32];
        const char *step = "finding its IOMMU group";
        int r;

        *b = (struct comp_doorbell){ .event = -1, .device = -1, .group = -1, .container = -1 };
        r = locate(resource_path, name, sizeof(name), group, sizeof(group));
        if (r == 0)
                r = open_device(b, name, group, &step);
        if (r == 0)
                r = trigger(b, &step);
        if (r < 0) {
                snprintf(err, errlen, "%s: %s", step, strerror(-r));
                comp_doorbell_close(b);
        }
        return r;
}

unsigned long long comp_doorbell_drain(int fd)
{
        uint64_t n = 0;

        if (fd < 0 || read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
                return 0;
        return (unsigned long long)n;
}

void comp_doorbell_close(struct comp_doorbell *b)
{
        int *fds[] = { &b->device, &b->group, &b->container, &b->event };

        /* Closing the device fd disables the vector and MSI-X (vfio-pci
         * releases its interrupts with the last close). */
        for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
                if (*fds[i] >= 0)
                        close(*fds[i]);
                *fds[i] = -1;
        }
}
