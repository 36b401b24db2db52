#!/bin/bash
# tests/compositor/qemu-fbdev.sh: thatte-compositor on fbdev (vesafb).
#
# Boots Debian's kernel under QEMU with the standard VGA and vga=0x318
# (VESA 1024x768, 24 bpp). Debian's kernel has vesafb built in and DRM only
# as modules (no simpledrm), and the initramfs holds no modules at all, so
# /dev/fb0 is vesafb and no DRM device exists: the auto backend must fall
# back to fbdev. Run 1 animates 30 frames in place and must exit 0; run 2
# stays, and its screen must be the gradient.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/qemu-common.sh"

timeout=240
printf '%s\n' --animate --frames 30 -- --pattern gradient >"$scratch/args"
comp_prepare "$scratch/args"
plan 6

comp_boot -vga std -- vga=0x318
marker='thatte-compositor: fbdev [0-9]+x[0-9]+ [A-Z0-9]+ on /dev/fb0'
if ! check "run 1 (30 animated frames) ends with status 0" \
        wait_for_line "$serial_log" 'thatte-test-init: run 1 exited with status 0 ' "$timeout"; then
        diag_file "$serial_log"
        diag_file "$qemu_log"
fi
diag "$(first_match "$serial_log" 'run 1 exited .*')"
if ! check "run 2 prints the fbdev marker" wait_for_count "$serial_log" "$marker" 2 "$timeout"; then
        diag_file "$serial_log"
        not_ok "24 bpp" && not_ok "screendump taken" && not_ok "gradient matches" &&
                not_ok "no error messages"
        finish
fi
diag "$(first_match "$serial_log" 'vesafb: mode is .*')"
diag "second marker after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
line=$(first_match "$serial_log" "$marker")
size=$(echo "$line" | awk '{ print $3 }')
diag "$line"
check "24 bpp (RGB888 or BGR888) as vga=0x318 asks" \
        bash -c '[[ $1 =~ \ (RGB888|BGR888)\  ]]' _ "$line"
screen=$scratch/screen.ppm
if check "screendump taken" qemu_screendump "$screen"; then
        check "gradient matches" gradient_check --expect-size "$size" "$screen"
else
        not_ok "gradient matches"
fi
check "no error messages from the compositor" \
        bash -c '! grep -a "^thatte-compositor:" "$1" | grep -qv " on /dev/"' _ "$serial_log"
qmp '{"execute":"quit"}' >/dev/null
finish
