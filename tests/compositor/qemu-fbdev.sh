#!/bin/bash
# tests/compositor/qemu-fbdev.sh: thatte-compositor on fbdev (vesafb).
#
# Boots Debian's kernel under QEMU with the standard VGA and a VESA mode on
# the command line: vga=0x318 (1024x768, 24 bpp), then vga=0x317 (16 bpp).
# Debian's kernel has vesafb built in and DRM only as modules (no
# simpledrm), and the image (thatte-driveros-make --modules=, thatte-init
# running test-runner) holds no modules at all, so /dev/fb0 is
# vesafb and no DRM device exists: the auto backend must fall back to fbdev.
# In each boot run 1 animates 30 frames (in place: vesafb cannot pan on
# x86-64) and must exit 0; run 2 stays, and its screen must be the gradient.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/qemu-common.sh"

timeout=240
marker='thatte-compositor: fbdev [0-9]+x[0-9]+ [A-Z0-9]+ on /dev/fb0'
printf '%s\n' --animate --frames 30 -- --pattern gradient >"$scratch/args"
comp_prepare "$scratch/args" --modules=
plan 12

# boot_with_mode VGA FORMAT_REGEX: one boot, six test points.
boot_with_mode() {
        local vga=$1 formats=$2 line size screen=$scratch/screen-$1.ppm
        comp_boot -vga std -- "vga=$vga"
        if ! check "vga=$vga: run 1 (30 animated frames) ends with status 0" \
                wait_for_line "$serial_log" 'thatte-test-runner: run 1 exited with status 0 ' "$timeout"; then
                diag_file "$serial_log"
                diag_file "$qemu_log"
        fi
        diag "$(first_match "$serial_log" 'run 1 exited .*')"
        if ! check "vga=$vga: run 2 prints the fbdev marker" \
                wait_for_count "$serial_log" "$marker" 2 "$timeout"; then
                diag_file "$serial_log"
                not_ok "vga=$vga: format" && not_ok "vga=$vga: screendump taken" &&
                        not_ok "vga=$vga: gradient matches" && not_ok "vga=$vga: no error messages"
                qemu_stop
                return
        fi
        diag "$(first_match "$serial_log" 'vesafb: mode is .*')"
        diag "second marker after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
        line=$(first_match "$serial_log" "$marker")
        size=$(echo "$line" | awk '{ print $3 }')
        diag "$line"
        check "vga=$vga: format is $formats" bash -c '[[ $1 =~ \ ($2)\  ]]' _ "$line" "$formats"
        check_screen_gradient "vga=$vga: " "$size" "$screen"
        check "vga=$vga: no error messages from the compositor" \
                bash -c '! grep -a "^thatte-compositor:" "$1" | grep -qv " on /dev/"' _ "$serial_log"
        qmp '{"execute":"quit"}' >/dev/null
        qemu_wait_exit 30 || qemu_stop
}

boot_with_mode 0x318 'RGB888|BGR888'
boot_with_mode 0x317 'RGB565|BGR565'
finish
