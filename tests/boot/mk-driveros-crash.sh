#!/bin/bash
# mk-driveros-crash.sh: the microkernel outlives its driver domain.
# DriverOS (the image thatte-driveros-make builds) as thatte-kvmm's guest,
# booted directly (`thatte-mkboot --direct`, QEMU -kernel, `-cpu max`),
# with `thatte.test=driveros-crash panic=-1` on its command line:
# thatte-init makes the kernel panic once the compositor shows its first
# frame; Linux reboots at once (hardware-reduced ACPI without EFI: through
# the BIOS reset vector, where the VMM's stub writes 0xCF9); thatte-kvmm logs `DriverOS crashed (...)` and starts
# DriverOS again (RAM zeroed, devices fresh, the modules loaded again,
# `thatte.restart=1` appended, so thatte-init does not crash it again).
# Markers in order: compositor, the crash, the restart, Linux's banner and
# the compositor again, no second crash; then the root task's window on the
# restarted compositor's screen (a screendump, at the logged place), and
# the root task still alive
# (`thatte.test=kvmm-alive` on thatte-mk's command line).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/mk-driveros-lib.sh"
. "$here/../display/lib-display.sh"

mk_driveros_require

# As mk-driveros-boot.sh, and the crash test.
cmdline='console=ttyS0 panic=-1 thatte.test=driveros-crash'
comp_re='^driveros: thatte-compositor: fbdev [0-9]+x[0-9]+ .* on /dev/fb0'
plan 11

mk_driveros_bundle "$cmdline"
qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio" \
        -append thatte.test=kvmm-alive

# count REGEX: lines matching.
count() { grep -acE -- "$1" "$serial_log"; }
# ordered REGEX...: each first matches after the previous one's line.
ordered() {
        local at=0 n
        for re; do
                n=$(awk -v at="$at" -v re="$re" 'NR > at && $0 ~ re { print NR; exit }' "$serial_log")
                [ -n "$n" ] || { diag "not in order: $re"; return 1; }
                at=$n
        done
}

wait_for_line "$serial_log" "$comp_re|$fail_re" "$linux_timeout"
diag "the compositor after $(seconds_since "$qemu_started_at") s"
check "DriverOS's compositor on the handed-over framebuffer" test "$(count "$comp_re")" -ge 1
wait_for_line "$serial_log" '^thatte-kvmm: DriverOS crashed|'"$fail_re" "$linux_timeout"
diag "$(grep -a '^thatte-kvmm: DriverOS crashed' "$serial_log")"
check "thatte-init panics the kernel on purpose" \
        grep -aq '^driveros: thatte-init: thatte.test=driveros-crash: making the kernel panic' "$serial_log"
check "the VMM sees the crash and restarts DriverOS" \
        grep -aqE '^thatte-kvmm: DriverOS crashed \((a reset through port 0x64 or 0xcf9|triple fault)\); restart 1 ' "$serial_log"
wait_for_line "$serial_log" '^thatte-kvmm: linux loaded: .*thatte.restart=1"|'"$fail_re" 120
check "the restarted DriverOS gets thatte.restart=1" \
        grep -aqE '^thatte-kvmm: linux loaded: .*command line ".*thatte.test=driveros-crash thatte.restart=1"' "$serial_log"
end=$((SECONDS + linux_timeout))
until [ "$(count "$comp_re")" -ge 2 ] || [ "$SECONDS" -ge "$end" ] || grep -aqE "$fail_re" "$serial_log"; do
        sleep 1
done
diag "the compositor again after $(seconds_since "$qemu_started_at") s"
check "Linux boots again and the compositor paints again" test "$(count "$comp_re")" = 2
check "in order: compositor, panic, crash, restart, banner, compositor" \
        ordered "$comp_re" '^driveros: .*Kernel panic' '^thatte-kvmm: DriverOS crashed' \
        '^thatte-kvmm: linux loaded: .*thatte.restart=1' '^driveros: .*Linux version [0-9]' "$comp_re"
# The root task's window on the restarted compositor's screen: it finds
# the channel (the same frame, the PCI function re-created) and shows it
# (the crash may come before the first compositor got to it).
client_re='^driveros: thatte-compositor: client thatte-mk 640x400'
wait_for_line "$serial_log" "$client_re|$fail_re" 120
check "the restarted compositor shows the root task's window" \
        ordered '^thatte-kvmm: DriverOS crashed' "$client_re"
check "after the restart: screendump" qemu_screendump "$scratch/window.ppm"
check_window thatte-mk "$scratch/window.ppm" --root
end=$((SECONDS + 60))
until [ "$(count '^thatte-root: alive')" -ge 1 ] || [ "$SECONDS" -ge "$end" ]; do sleep 1; done
check "no second crash; the root task alive; no panic or failure of thatte-mk, the root or the VMM" \
        eval '[ "$(count "^thatte-kvmm: DriverOS crashed")" = 1 ] && [ "$(count "^thatte-root: alive")" -ge 1 ] &&
                ! grep -aqE "$fail_re" "$serial_log"'
qemu_stop
finish
