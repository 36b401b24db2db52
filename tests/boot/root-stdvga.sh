#!/bin/bash
# root-stdvga.sh: the root task as the first user-level driver. Booted
# directly (PVH, no firmware, so no framebuffer is handed over), it lists
# PCI, finds QEMU's std-vga, sets a mode through the Bochs VBE registers
# with its I/O port capability and paints the default picture through
# device Frames of BAR0; `thatte.mode=WxH` picks the mode; with no display
# at all it says so and still gets to ready.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=120
require_direct
require_helpers

plan 11

# painted NAME WxH: the checks of one painted boot (4 test points).
painted() {
        direct_wait "$marker_timeout"
        if ! check "$1: ready" test $? = 0; then
                diag_file "$serial_log"
        fi
        check "$1: painted $2" grep -aqE "^thatte-root: painted $2([^0-9]|\$)" "$serial_log"
        check_screen_gradient "$1: " "$2" "$scratch/$1.ppm"
        qemu_stop
}

direct_start -machine pc -m 256
painted "pc default mode" 1280x800
check "pc: the std-vga in the PCI list" \
        grep -aq '^thatte-root: pci 00:02\.0 1234:1111 class 03' "$serial_log"

direct_start -machine q35 -m 256 -append 'thatte.mode=1024x768'
painted "q35 thatte.mode=1024x768" 1024x768

qemu_start -machine pc -m 256 -vga none -kernel "$kernel" -initrd "$root"
direct_wait "$marker_timeout"
check "no display: ready" test $? = 0
check "no display: said so" grep -aq '^thatte-root: no display' "$serial_log"
qemu_stop
finish
