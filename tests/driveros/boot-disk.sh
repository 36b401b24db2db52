#!/bin/bash
# boot-disk.sh: `thatte-driveros-make --mode disk` (debootstrap, as root)
# makes rootfs.ext4 with mke2fs -d and a small initrd (thatte-init with the
# disk's modules, not Debian's); thatte-vmm boots it, thatte-init mounts
# /dev/vda and hands over to its systemd, which starts
# thatte-compositor.service, the screen is the gradient, and `thatte-vmm
# stop` powers it off through systemd. Needs root; takes minutes (the
# debootstrap packages are cached next to the kernel). With
# drv_disk_kernel=thatte (boot-disk-thatte.sh) the image has the THATTE
# kernel: no kernel package, no modules in the initrd.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

[ "$(id -u)" = 0 ] || skip_all "disk mode needs root (debootstrap)"
require_driveros
PATH=$PATH:/usr/sbin:/sbin require_tool debootstrap mke2fs
[ -z "${drv_disk_kernel:-}" ] || require_kernel_build
require_tool "$QEMU"
require_helpers
require_vmm
plan 11

img=$scratch/img
if ! check "disk image built" drv_build "$img" --mode disk ${drv_disk_kernel:+--kernel=$drv_disk_kernel}; then
        for i in 2 3 4 5 6 7 8 9 10 11; do not_ok "skipped: no image"; done
        finish
fi
diag "disk build: $drv_build_seconds s"
check "rootfs.ext4, kernel and initrd present" test -s "$img/rootfs.ext4" -a -s "$img/vmlinuz" -a -s "$img/initrd.img"
used=$(PATH=$PATH:/usr/sbin:/sbin dumpe2fs -h "$img/rootfs.ext4" 2>/dev/null |
        awk -F: '/^Block count/ { c = $2 } /^Free blocks/ { f = $2 } /^Block size/ { s = $2 }
                 END { printf "%d\n", (c - f) * s / 1048576 }')
diag "rootfs.ext4: $(($(stat -c %s "$img/rootfs.ext4") / 1048576)) MiB file, ${used:-?} MiB used"
check "rootfs.ext4 content under 400 MB" test "${used:-9999}" -lt 400
initrd_size=$(stat -c %s "$img/initrd.img")
diag "initrd.img: $initrd_size bytes"
check "initrd.img is the small one (under 4 MiB)" test "$initrd_size" -lt $((4 * 1024 * 1024))
if ! check "thatte-vmm start" drv_vmm_start "$img"; then
        diag_file "$qemu_log"
fi
drv_ready='thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+' drv_poweroff='reboot: Power down' \
        drv_marker_timeout=400 drv_vmm_check_boot disk
check "thatte-init switched to the disk's root" grep -aq 'thatte-init: switching to /dev/vda' "$serial_log"
finish
