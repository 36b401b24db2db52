#!/bin/bash
# tests/compositor/qemu-drm.sh: thatte-compositor on virtio-gpu through DRM.
#
# Boots Debian's kernel under QEMU (-device virtio-gpu-pci, headless, TCG
# unless THATTE_TEST_ACCEL says otherwise) with a minimal initramfs: the
# virtio-gpu modules, test-init and the compositor. Run 1 animates 30 frames
# with page flips and must exit 0 after restoring the CRTC; run 2 stays, and
# its screen must be the gradient (QMP screendump). Then Enter (QMP
# send-key) makes test-init unbind the GPU from its driver, as a hot-unplug
# would: the compositor must stop with status 1 and say why, not crash.
# Run 3 then finds no display at all and must say so and exit 1.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/qemu-common.sh"

timeout=240
gpu_address=0000:00:05.0
printf '%s\n' --backend drm --animate --frames 30 -- --backend drm "@unbind $gpu_address" \
        -- --pattern gradient >"$scratch/args"
comp_prepare "$scratch/args" virtio_pci virtio-gpu
plan 9

comp_boot -device virtio-gpu-pci,addr=05.0 -- quiet
marker='thatte-compositor: drm [0-9]+x[0-9]+ XRGB8888 on /dev/dri/card[0-9]+'
if ! check "run 1 (30 animated frames) ends with status 0" \
        wait_for_line "$serial_log" 'thatte-test-init: run 1 exited with status 0 ' "$timeout"; then
        diag_file "$serial_log"
        diag_file "$qemu_log"
fi
diag "$(first_match "$serial_log" 'run 1 exited .*')"
if ! check "run 2 prints the drm marker" wait_for_count "$serial_log" "$marker" 2 "$timeout"; then
        diag_file "$serial_log"
        not_ok "screendump taken" && not_ok "gradient matches" && not_ok "no error messages"
        not_ok "unplug ends the run with status 1" && not_ok "unplug message"
        not_ok "no display: status 1" && not_ok "no display: message"
        finish
fi
diag "second marker after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
size=$(first_match "$serial_log" "$marker" | awk '{ print $3 }')
diag "screen $size"
screen=$scratch/screen.ppm
if check "screendump taken" qemu_screendump "$screen"; then
        check "gradient matches" gradient_check --expect-size "$size" "$screen"
else
        not_ok "gradient matches"
fi
check "no error messages from the compositor" \
        bash -c '! grep -a "^thatte-compositor:" "$1" | grep -qv " on /dev/"' _ "$serial_log"
qmp '{"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"ret"}]}}' >/dev/null
if ! check "unplugging the GPU ends run 2 with status 1" \
        wait_for_line "$serial_log" 'thatte-test-init: run 2 exited with status 1 ' 120; then
        diag_file "$serial_log"
fi
check "with a message naming the output that went away" \
        grep -aqE '^thatte-compositor: output [A-Za-z]+-[0-9]+ on /dev/dri/card[0-9]+ went away' "$serial_log"
check "without a display, run 3 exits with status 1" \
        wait_for_line "$serial_log" 'thatte-test-init: run 3 exited with status 1 ' 120
check "and says: no DRM or fbdev device" \
        grep -aqE $'^thatte-compositor: no DRM or fbdev device\r?$' "$serial_log"
qemu_wait_exit 60 || qmp '{"execute":"quit"}' >/dev/null
finish
