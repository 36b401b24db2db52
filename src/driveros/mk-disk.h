/* mk-disk.h: disk mode: a Debian root file system as rootfs.ext4. */
#ifndef THATTE_DRIVEROS_MK_DISK_H
#define THATTE_DRIVEROS_MK_DISK_H

struct mk_build;

/* mk_disk_build: debootstraps (minbase + systemd-sysv, udev, dbus (for
 * logind, which turns the ACPI power button into a power-off), the kernel
 * package and --include) into b->dir/rootfs, installs the compositor and
 * thatte-compositor.service, the hostname and fstab, trims documentation,
 * locales and apt lists, writes rootfs.ext4 with `mke2fs -d` (no loop
 * devices, no mounts), copies out vmlinuz and initrd.img, and removes the
 * tree. Needs root. Prints what failed; returns 0 or -errno. */
int mk_disk_build(struct mk_build *b);

#endif
