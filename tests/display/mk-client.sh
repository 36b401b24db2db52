#!/bin/bash
# tests/display/mk-client.sh: the microkernel as a display client. DriverOS
# and thatte-mk (direct boot as thatte-mk-direct: QEMU -kernel thatte-mk.elf
# -initrd thatte-root.elf, pc machine, std-vga, TCG) share one channel (an
# ivshmem-plain device on each, backed by the same file). The root task
# finds the device on PCI, maps its BAR2 through device Frames, writes the
# header and the default picture; DriverOS's compositor logs the window
# `thatte-mk 640x400`, the root task hears its frame was shown, the
# screendump holds the root's picture at the logged place, and a click on
# it reaches the root task's input ring (it prints the event on serial).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/lib-display.sh"

require_mk
disp_prepare
plan 8
disp_channel mk
disp_boot_compositor

# The second VM: not qemu_start's (one per test), so started here.
mk_log=$scratch/mk-serial.log
: >"$mk_log"
"$QEMU" -nodefaults -no-user-config -display none -accel "${THATTE_TEST_ACCEL:-tcg}" \
        -machine pc -m 256 -vga std -serial "file:$mk_log" \
        -kernel "$mk_elf" -initrd "$root_elf" \
        -object "memory-backend-file,id=ch-mk,share=on,mem-path=$(qemu_opt_escape "$scratch/mk"),size=16M" \
        -device ivshmem-plain,memdev=ch-mk </dev/null >"$scratch/mk-qemu.log" 2>&1 &
mk_pid=$!
disown "$mk_pid" # no job notice when the cleanup kills it

if ! check "the root task opens the channel" \
        wait_for_line "$mk_log" '^thatte-root: channel 640x400 at BAR2 0x[0-9a-f]+' 120; then
        diag_file "$mk_log"
        diag_file "$scratch/mk-qemu.log"
fi
diag "$(first_match "$mk_log" '^thatte-root: channel .*')"
check "and still gets to ready" wait_for_line "$mk_log" '^thatte-root: ready' 120
if ! check "DriverOS's compositor logs the window thatte-mk 640x400" \
        wait_for_line "$serial_log" 'thatte-compositor: client thatte-mk 640x400' "$disp_timeout"; then
        diag_file "$serial_log"
fi
check "the root task hears its frame was shown" \
        wait_for_line "$mk_log" '^thatte-root: channel: frame 1 shown' 60
check "screendump taken" qemu_screendump "$scratch/screen.ppm"
check_window thatte-mk "$scratch/screen.ppm" --root

read -r ax ay <<<"$(window_place thatte-mk)"
[ -n "$ax" ] || read -r ax ay <<<"$found"
qmp_click $((ax + 320)) $((ay + 200))
check "a click on its window reaches the root task" \
        wait_for_line "$mk_log" '^thatte-root: button 272 1 ' 60
if [ "$tap_failed" != 0 ]; then
        diag_file "$serial_log" 40
        diag_file "$mk_log" 20
fi
finish
