/* init.h: the pieces of thatte-init, the DriverOS initramfs's PID 1. */
#ifndef THATTE_DRIVEROS_INIT_H
#define THATTE_DRIVEROS_INIT_H

#include <stdbool.h>

/* Where thatte-driveros-make puts the module list inside the image: one
 * absolute path per line, dependencies before their users. */
#define INIT_MODULE_LIST "/etc/thatte-init/modules"

/* init_log: prints "thatte-init: MESSAGE" on the console (stderr). */
void init_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* init_default_signals: every signal back to its default action and none
 * blocked, for a child about to exec: thatte-init blocks signals for its
 * signalfd and the agent ignores SIGPIPE, and exec keeps both. */
void init_default_signals(void);

/* init_mount_all: mounts proc, sys, devtmpfs, devpts, run and tmp, and
 * points stdin/out/err at /dev/console. Logs what fails; returns the first
 * failure as -errno, 0 when all were mounted. */
int init_mount_all(void);

/* init_load_modules: finit_module()s every file of LIST in order. A module
 * already loaded (built in or loaded twice) is fine. Logs each failure;
 * returns the number loaded, or -errno when LIST cannot be read. */
int init_load_modules(const char *list);

/* init_switch_root: waits up to 30 s for the block device DEV, mounts it
 * (file system FSTYPE, read-write) on /sysroot, moves /dev, /proc, /sys
 * and /run there, makes it the root and execs its /sbin/init. Returns only
 * on failure, -errno (-ENOENT: no DEV or no /sbin/init in it); a failure
 * after the mounts were moved leaves the initramfs without them. */
int init_switch_root(const char *dev, const char *fstype);

/* Longest share tag thatte-init mounts (thatte-vmm allows 31). */
#define INIT_SHARE_TAG_MAX 31

/* init_mount_shares: mounts every virtio 9p share at /mnt/TAG, logging
 * "share TAG mounted" or why not. Returns how many were found, or -errno
 * when the driver's sysfs folder cannot be read (0 without the driver). */
int init_mount_shares(void);

/* init_channel_doorbells: binds every ivshmem function (1af4:1110) that
 * offers MSI-X to vfio-pci in no-IOMMU mode, where the kernel has it, so
 * the compositor can wait for the channel's doorbell (init-vfio.c); says
 * what it did, or why not, for each. */
void init_channel_doorbells(void);

/* init_set_hostname / init_loopback_up: return 0 or -errno. */
int init_set_hostname(const char *name);
int init_loopback_up(void);

/* init_network_up: gives the first Ethernet interface QEMU user
 * networking's fixed address, 10.0.2.15/24, a default route through
 * 10.0.2.2 and /etc/resolv.conf naming 10.0.2.3; its name into ifname.
 * Returns 0, -ENOENT when the VM has no network interface, or -errno. */
int init_network_up(char *ifname, size_t size);

/* init_power_button_open: opens the evdev node of the ACPI "Power Button"
 * input device, non-blocking. Returns the fd, or -ENOENT while absent. */
int init_power_button_open(void);

/* init_power_button_pressed: drains FD; returns 1 when KEY_POWER was
 * pressed, 0 otherwise, -errno on a read error (device gone). */
int init_power_button_pressed(int fd);

/* init_crash_kernel (init-crash.c): panics the kernel on purpose
 * (thatte.test=driveros-crash); returns only on failure, -errno. */
int init_crash_kernel(void);

#endif
