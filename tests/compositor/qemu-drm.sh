#!/bin/bash
# tests/compositor/qemu-drm.sh: thatte-compositor on virtio-gpu through DRM.
#
# Boots a DriverOS initramfs made by thatte-driveros-make (Debian's kernel,
# only the virtio-gpu modules, thatte-init as PID 1) under QEMU
# (-device virtio-gpu-pci, headless, TCG unless THATTE_TEST_ACCEL says
# otherwise); thatte-init runs test-runner, which runs the compositor six
# times:
#   1. --animate --frames 30: page flips, then exit 0 restoring the CRTC;
#   2. --mode 1024x768 --output Virtual-1 --once: that mode on that output;
#   3. --output HDMI-A-9: no such output, exit 1 with a message;
#   4. --animate until Enter (QMP send-key) makes test-runner send SIGTERM:
#      exit 0 after letting queued flips land and restoring the CRTC;
#   5. stays: its screen must be the gradient (QMP screendump); then Enter
#      (QMP send-key) makes test-runner unbind the GPU from its driver, as a
#      hot-unplug would, and the compositor must stop with status 1 and say
#      why, not crash;
#   6. with no display left: "no DRM or fbdev device", exit 1.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/qemu-common.sh"

timeout=240
gpu_address=0000:00:05.0
printf '%s\n' --backend drm --animate --frames 30 \
        -- --mode 1024x768 --output Virtual-1 --once \
        -- --output HDMI-A-9 --once \
        -- --backend drm --animate @term \
        -- --backend drm "@unbind $gpu_address" \
        -- --pattern gradient >"$scratch/args"
comp_prepare "$scratch/args" --modules=virtio_pci,virtio_gpu
plan 16

comp_boot -device virtio-gpu-pci,addr=05.0 -- quiet
marker='thatte-compositor: drm [0-9]+x[0-9]+ XRGB8888 on /dev/dri/card[0-9]+'
run_line() { # N STATUS: the line test-runner prints when run N ends so
        echo "thatte-test-runner: run $1 exited with status $2 "
}
if ! check "run 1 (30 animated frames) ends with status 0" \
        wait_for_line "$serial_log" "$(run_line 1 0)" "$timeout"; then
        diag_file "$serial_log"
        diag_file "$qemu_log"
fi
diag "$(first_match "$serial_log" 'run 1 exited .*')"
check "run 2 (--mode 1024x768 --output Virtual-1) ends with status 0" \
        wait_for_line "$serial_log" "$(run_line 2 0)" "$timeout"
check "run 2 used 1024x768" grep -aq 'thatte-compositor: drm 1024x768 ' "$serial_log"
check "run 3 (--output HDMI-A-9) ends with status 1" \
        wait_for_line "$serial_log" "$(run_line 3 1)" "$timeout"
check "and says there is no such output" \
        grep -aq '^thatte-compositor: no connected output named HDMI-A-9 on /dev/dri/card' "$serial_log"
enter='{"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"ret"}]}}'
check "run 4 (--animate) starts" wait_for_count "$serial_log" "$marker" 3 "$timeout"
sleep 1 # let it flip a while; nothing is measured
qmp "$enter" >/dev/null
check "SIGTERM ends run 4 with status 0" wait_for_line "$serial_log" "$(run_line 4 0)" "$timeout"
if ! check "run 5 prints the drm marker" wait_for_count "$serial_log" "$marker" 4 "$timeout"; then
        diag_file "$serial_log"
        not_ok "screendump taken" && not_ok "gradient matches" && not_ok "no other messages"
        not_ok "unplug ends the run with status 1" && not_ok "unplug message"
        not_ok "no display: status 1" && not_ok "no display: message"
        finish
fi
diag "run 5 marker after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
size=$(grep -aoE -- "$marker" "$serial_log" | sed -n 4p | awk '{ print $3 }')
diag "screen $size"
screen=$scratch/screen.ppm
check_screen_gradient "" "$size" "$screen"
check "no other messages from the compositor" \
        bash -c '! grep -a "^thatte-compositor:" "$1" | grep -v " on /dev/" | grep -qv HDMI-A-9' _ "$serial_log"
qmp "$enter" >/dev/null
if ! check "unplugging the GPU ends run 5 with status 1" \
        wait_for_line "$serial_log" "$(run_line 5 1)" 120; then
        diag_file "$serial_log"
fi
check "with a message naming the output that went away" \
        grep -aqE '^thatte-compositor: output [A-Za-z]+-[0-9]+ on /dev/dri/card[0-9]+ went away' "$serial_log"
check "without a display, run 6 exits with status 1" \
        wait_for_line "$serial_log" "$(run_line 6 1)" 120
check "and says: no DRM or fbdev device" \
        grep -aqE $'^thatte-compositor: no DRM or fbdev device\r?$' "$serial_log"
check "then thatte-init powers the machine off" \
        wait_for_line "$serial_log" 'thatte-init: powering off' 60
qemu_wait_exit 60 || qmp '{"execute":"quit"}' >/dev/null
finish
