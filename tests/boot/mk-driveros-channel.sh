#!/bin/bash
# mk-driveros-channel.sh: the display channel between thatte-mk's root
# task and DriverOS on ONE machine (kernel/kvmm/chan.c,
# docs/display-channel.md): DriverOS's Linux runs under thatte-kvmm,
# booted directly (QEMU -kernel, the cpio bundle) under `-cpu max`, with
# PCI on (no pci=off). The root task makes the channel in a frame of its
# own; the VMM shows it to the guest as an ivshmem function (1af4:1110) on
# its PCI bus; DriverOS's compositor finds it on PCI as under QEMU, logs
# the window `thatte-mk 640x400`, rings the function's Doorbell (BAR0, an
# MMIO store the VMM decodes), the root task hears its frame was shown,
# and the screendump holds the root's picture at the logged place.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/mk-driveros-lib.sh"
. "$here/../display/lib-display.sh"

linux_timeout=${THATTE_KVMM_LINUX_TIMEOUT:-900}
[ -x "$disp_find" ] || skip_all "display-find not built"
mk_driveros_require

# The image's own line minus quiet, as mk-driveros-boot.sh boots; no
# pci=off: the channel is a PCI function.
cmdline='console=ttyS0 panic=-1'
fail_re='^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: FAIL|^thatte-kvmm: guest stopped'
plan 10

mk_driveros_bundle "$cmdline"
qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio"

wait_for_line "$serial_log" '^thatte-kvmm: (channel|FAIL)|'"$fail_re" "$boot_timeout"
check "the root task makes the channel in its own frame and gives it to the VMM" \
        grep -aq '^thatte-root: kvmm: display channel 640x400 in a frame of its own' "$serial_log"
check "the VMM shows it as ivshmem BAR2 at its default place" \
        grep -aqE '^thatte-kvmm: channel: ivshmem 00:03.0, BAR2 2 MiB at 0xd0000000' "$serial_log"
wait_for_line "$serial_log" '^driveros: .*pci 0000:00:03.0: \[1af4:1110\]|'"$fail_re" "$linux_timeout"
check "Linux finds the ivshmem function on PCI" \
        grep -aqE '^driveros: .*pci 0000:00:03.0: \[1af4:1110\]' "$serial_log"
wait_for_line "$serial_log" 'thatte-compositor: client thatte-mk 640x400|'"$fail_re" "$linux_timeout"
diag "the window after $(seconds_since "$qemu_started_at") s"
check "DriverOS's compositor logs the window thatte-mk 640x400" \
        grep -aq '^driveros: thatte-compositor: client thatte-mk 640x400' "$serial_log"
check "the root task hears its frame was shown" \
        wait_for_line "$serial_log" '^thatte-root: channel: frame 1 shown' 120
check "the compositor rings BAR0's Doorbell (an MMIO store the VMM decodes) and it reaches the root" \
        grep -aq '^thatte-kvmm: channel: the guest rang the doorbell' "$serial_log"
check "screendump taken" qemu_screendump "$scratch/screen.ppm"
check_window thatte-mk "$scratch/screen.ppm" --root
check "no panic, failure or stopped guest" eval '! grep -aqE "$fail_re" "$serial_log"'
diag "$(grep -a '^thatte-kvmm: exits' "$serial_log" | tail -1)"
grep -a '^thatte-kvmm: channel' "$serial_log" | while read -r l; do diag "$l"; done
[ "$tap_failed" = 0 ] || diag_file "$serial_log" 60
qemu_stop
finish
