/* init-vfio.c: the display channel's doorbell for the compositor. Linux
 * gives user space a PCI function's MSI-X only through a driver; for the
 * ivshmem function (1af4:1110) that driver is vfio-pci in no-IOMMU mode
 * (docs/display-channel.md, "Under thatte-mk"). Binding a driver and
 * switching on an unsafe kernel mode are the machine's policy, so PID 1
 * does it once at boot, before the compositor starts; the compositor only
 * uses what it finds and polls otherwise. Only functions that offer MSI-X
 * are bound: QEMU's ivshmem-plain has none and stays as it is, and a
 * kernel without VFIO no-IOMMU (Debian's) has no parameter to set. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driveros/init.h"

#define PCI_DEVICES "/sys/bus/pci/devices"
#define NOIOMMU_PARAM "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_PTR 0x34
#define PCI_CAP_ID_MSIX 0x11

static int write_text(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

        if (fd < 0)
                return -errno;
        if (write(fd, text, strlen(text)) < 0)
                r = -errno;
        close(fd);
        return r;
}

static unsigned long read_hex(const char *dir, const char *name)
{
        char path[320], buf[32] = "";
        int fd;
        ssize_t n;

        snprintf(path, sizeof path, "%s/%s", dir, name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[n > 0 ? n : 0] = '\0';
        return strtoul(buf, NULL, 16);
}

/* The capability list of the function's configuration space, walked as
 * untrusted (at most 48 steps, pointers inside the first 256 bytes). */
static int has_msix(const char *dir)
{
        uint8_t cfg[256];
        char path[320];
        unsigned at, steps;
        ssize_t n;
        int fd;

        snprintf(path, sizeof path, "%s/config", dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        n = read(fd, cfg, sizeof cfg);
        close(fd);
        if (n < 64 || !(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST))
                return 0;
        for (at = cfg[PCI_CAP_PTR] & ~3u, steps = 0; at >= 64 && at + 1 < (unsigned)n && steps < 48;
             at = cfg[at + 1] & ~3u, steps++)
                if (cfg[at] == PCI_CAP_ID_MSIX)
                        return 1;
        return 0;
}

static void bind(const char *dir, const char *name)
{
        char path[320], driver[320];
        int r;

        snprintf(driver, sizeof driver, "%s/driver", dir);
        if (access(driver, F_OK) == 0) {
                init_log("channel %s has a driver already: the compositor polls it", name);
                return;
        }
        snprintf(path, sizeof path, "%s/driver_override", dir);
        r = write_text(path, "vfio-pci");
        if (r == 0)
                r = write_text("/sys/bus/pci/drivers_probe", name);
        if (r == 0 && access(driver, F_OK) != 0)
                r = -ENODEV;
        if (r < 0)
                init_log("binding channel %s to vfio-pci failed: %s; the compositor polls it", name,
                         strerror(-r));
        else
                init_log("channel %s bound to vfio-pci (no-IOMMU) for its doorbell", name);
}

void init_channel_doorbells(void)
{
        DIR *d = opendir(PCI_DEVICES);
        struct dirent *e;
        int noiommu = -1;

        if (!d)
                return;
        while ((e = readdir(d))) {
                char dir[300];

                if (e->d_name[0] == '.')
                        continue;
                snprintf(dir, sizeof dir, "%s/%s", PCI_DEVICES, e->d_name);
                if (read_hex(dir, "vendor") != 0x1af4 || read_hex(dir, "device") != 0x1110 ||
                    !has_msix(dir))
                        continue;
                /* Only now: a kernel without the parameter never hears of it. */
                if (noiommu < 0)
                        noiommu = write_text(NOIOMMU_PARAM, "1") == 0;
                if (!noiommu) {
                        init_log("channel %s offers MSI-X but the kernel has no VFIO no-IOMMU: "
                                 "the compositor polls it", e->d_name);
                        continue;
                }
                bind(dir, e->d_name);
        }
        closedir(d);
}
