#!/bin/bash
# mk-driveros-doorbell.sh: the display channel's doorbell into DriverOS
# under thatte-mk, on the THATTE kernel (`thatte-driveros-make
# --kernel=thatte`, data/driveros/kernel.config: COM1 through ACPI PNP,
# VFIO no-IOMMU built in). One QEMU, `-cpu max`, booted directly as
# mk-driveros-channel.sh boots Debian's kernel. thatte-init binds the
# ivshmem function to vfio-pci; the compositor takes MSI-X vector 0 as an
# eventfd (`doorbell msi-x`) and shows the root task's window (the
# screendump check). Then, with `thatte.test=chan-frames`, the root task
# publishes 100 more frames and rings the VMM for each: every one reaches
# the screen (the compositor logs it, --log-frames). A second
# boot floods (`thatte.test=chan-flood`: 1000 frames, one at every wake of
# the root task, shown or not): the compositor, woken by a storm of
# vectors, still shows the last frame and stays correct. A third boot
# runs tests/boot/doorbell-hostile.c in the compositor's place: it starts
# the compositor, then masks vector 0 in the MSI-X table and later points
# it at garbage; all 100 frames are still shown (the compositor's 100 ms
# safety round).
# The THATTE kernel is built once per cache (about 6 minutes on 2 cores
# after a fragment change, from the last build's objects; 20 or more from
# nothing), shared with tests/driveros/*-thatte.sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/mk-driveros-lib.sh"
. "$here/../display/lib-display.sh"

linux_timeout=${THATTE_KVMM_LINUX_TIMEOUT:-900}
[ -x "$disp_find" ] || skip_all "display-find not built"
prog=${top_builddir:+$top_builddir/tests/boot/doorbell-hostile}
prog_in_image=/usr/libexec/thatte-test/doorbell-hostile
[ -x "$prog" ] || skip_all "tests/boot/doorbell-hostile not built (make check builds it)"
mk_driveros_require
require_kernel_build

cmdline='console=ttyS0 panic=-1 thatte.compositor="--log-frames"'
fail_re='^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: FAIL|^thatte-kvmm: guest stopped'
comp_re='thatte-compositor: client thatte-mk 640x400'
plan 19

# The image's vmlinuz is the PVH vmlinux; thatte-kvmm takes the bzImage
# of the same build (the MANIFEST names it in the cache).
drv_build "$scratch/img" --kernel=thatte --add "$prog=$prog_in_image" ||
        bail_out "thatte-driveros-make could not build the image"
bzimage=$drv_cache/kernel/$(sed -n 's/^# kernel-build: //p' "$scratch/img/MANIFEST")/bzImage
[ -f "$bzimage" ] || bail_out "no bzImage of the THATTE kernel at $bzimage"
# bundle CMDLINE: $scratch/bundle.cpio with DriverOS's command line CMDLINE.
bundle() {
        "$mkboot" --direct -o "$scratch/bundle.cpio" --root "$root" --guest-kernel "$bzimage" \
                --guest-initrd "$scratch/img/initrd.img" --guest-cmdline "$1" >"$scratch/mkboot.log" 2>&1 ||
                { diag_file "$scratch/mkboot.log"; bail_out "thatte-mkboot --direct made no bundle"; }
}
bundle "$cmdline"

# boot APPEND: thatte-mk with APPEND on its command line, to the window.
boot() {
        qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio" \
                -append "$1"
        wait_for_line "$serial_log" "$comp_re|$fail_re" "$linux_timeout"
        diag "the window after $(seconds_since "$qemu_started_at") s"
}

boot thatte.test=chan-frames
# (its IRQ is GSI 4 on the I/O APIC, numbered dynamically: no legacy
# IRQs with hardware-reduced ACPI)
check "the THATTE kernel's console is COM1 from the DSDT (8250 PNP)" \
        grep -aqE '^driveros: .*00:0[0-9]: ttyS0 at I/O 0x3f8 \(irq = [0-9]+' "$serial_log"
check "the THATTE kernel takes what the VMM hands over: efifb, i8042 keyboard and mouse, ACPI power button" \
        eval 'grep -aq "^driveros: fb0: EFI VGA frame buffer device" "$serial_log" &&
                grep -aq "^driveros: input: AT Translated Set 2 keyboard" "$serial_log" &&
                grep -aqE "^driveros: input: .*PS/2 .*Mouse" "$serial_log" &&
                grep -aq "^driveros: input: Power Button" "$serial_log"'
check "thatte-init binds the ivshmem function to vfio-pci" \
        grep -aq '^driveros: thatte-init: channel 0000:00:03.0 bound to vfio-pci (no-IOMMU) for its doorbell' \
        "$serial_log"
check "the compositor waits for MSI-X vector 0 through VFIO" \
        grep -aq '^driveros: thatte-compositor: channel /sys/bus/pci/devices/0000:00:03.0/resource2 doorbell msi-x' \
        "$serial_log"
check "DriverOS's compositor shows the window thatte-mk 640x400" grep -aq "^driveros: $comp_re" "$serial_log"
# (not anchored: the root task, at a higher priority, can cut into a line
# the VMM is writing)
check "the root task hears frame 1 was shown" \
        wait_for_line "$serial_log" 'thatte-root: channel: frame 1 shown' 120
wait_for_line "$serial_log" "^thatte-root: channel: frames done|$fail_re" 900
diag "100 frames after $(seconds_since "$qemu_started_at") s"
check "the root task published 100 more frames, each shown (the next waits for it)" \
        grep -aq '^thatte-root: channel: frames done' "$serial_log"
check "the compositor logged each of them on screen" \
        test "$(grep -acE '^driveros: thatte-compositor: frame thatte-mk ([2-9]|[1-9][0-9]|10[01]) on screen' \
                "$serial_log")" = 100
check "screendump taken" qemu_screendump "$scratch/screen.ppm"
check_window thatte-mk "$scratch/screen.ppm" --root
check "no panic, failure or stopped guest" eval '! grep -aqE "$fail_re" "$serial_log"'
grep -a '^thatte-kvmm: \(channel\|exits\|interrupts\)' "$serial_log" | tail -4 | while read -r l; do diag "$l"; done
[ "$tap_failed" = 0 ] || diag_file "$serial_log" 80
qemu_stop

# The flood: every wake of the root task publishes, and each publish
# becomes a vector; the compositor does one round per wake.
boot thatte.test=chan-flood
wait_for_line "$serial_log" "^thatte-root: channel: flood of|$fail_re" 900
diag "the flood after $(seconds_since "$qemu_started_at") s"
check "flood: the compositor still shows the last of 1000 frames" \
        grep -aqE '^thatte-root: channel: flood of 1000 frames: the last \(1001\) shown' "$serial_log"
check "flood: no panic, failure or stopped guest, the window never gone" \
        eval '! grep -aqE "$fail_re|thatte-compositor: client thatte-mk gone" "$serial_log"'
[ "$tap_failed" = 0 ] || diag_file "$serial_log" 60
qemu_stop

# A hostile process masks vector 0, then programs it with garbage.
bundle "$cmdline thatte.compositor_path=$prog_in_image"
fail_re="$fail_re|doorbell-hostile: FAIL"
boot thatte.test=chan-frames
wait_for_line "$serial_log" "doorbell-hostile: vector 0 garbage|$fail_re" 600
check "hostile: the compositor switched MSI-X on, then the process masked vector 0" \
        eval 'grep -aq "^driveros: doorbell-hostile: MSI-X on, vector 0 at 0xfee" "$serial_log" &&
                grep -aq "^driveros: doorbell-hostile: vector 0 masked" "$serial_log"'
check "hostile: the process pointed vector 0 at garbage" \
        grep -aq '^driveros: doorbell-hostile: vector 0 garbage (address 0xdead0000, data 0x0) and unmasked' \
        "$serial_log"
wait_for_line "$serial_log" "^thatte-root: channel: frames done|$fail_re" 900
diag "100 frames after $(seconds_since "$qemu_started_at") s"
check "hostile: all 100 frames still shown (the compositor's safety round)" \
        eval 'grep -aq "^thatte-root: channel: frames done" "$serial_log" &&
                test "$(grep -acE "^driveros: thatte-compositor: frame thatte-mk [0-9]+ on screen" "$serial_log")" = 101'
# frames_after REGEX: frames logged on screen after the first line matching REGEX.
frames_after() {
        awk -v re="$1" '$0 ~ re { seen = 1 } seen && /^driveros: thatte-compositor: frame thatte-mk [0-9]+ on screen/ { n++ }
                END { print n + 0 }' "$serial_log"
}
diag "frames shown after the mask: $(frames_after 'doorbell-hostile: vector 0 masked'), after the garbage: $(frames_after 'doorbell-hostile: vector 0 garbage')"
check "hostile: frames were shown while the vector was garbage (at least 10 after that line)" \
        test "$(frames_after 'doorbell-hostile: vector 0 garbage')" -ge 10
check "hostile: no panic, failure or stopped guest, the window never gone" \
        eval '! grep -aqE "$fail_re|thatte-compositor: client thatte-mk gone" "$serial_log"'
grep -a '^thatte-kvmm: interrupts' "$serial_log" | tail -1 | while read -r l; do diag "$l"; done
[ "$tap_failed" = 0 ] || diag_file "$serial_log" 60
qemu_stop
finish
