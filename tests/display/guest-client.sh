#!/bin/bash
# tests/display/guest-client.sh: thatte-display-client inside a Linux guest
# (--pci: BAR2 of the ivshmem device through sysfs). DriverOS boots with
# the client in its initramfs, started by thatte-init in the compositor's
# place, animating 20 frames into a channel whose backing file the test
# reads on the host: the magic, the title, the 20th frame published, the
# heartbeat going on; then no input events and no error.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/lib-display.sh"

# u64 FILE OFFSET: a little-endian 64-bit word of FILE.
u64() {
        od -A n -t u8 -j "$2" -N 8 "$1" | tr -d ' '
}

disp_prepare --add "$disp_client=/usr/bin/thatte-display-client"
plan 6
disp_channel guest
disp_boot -- thatte.compositor_path=/usr/bin/thatte-display-client \
        'thatte.compositor="--pci --title guest --size 160x100 --animate --frames 20"'
ch=$scratch/guest
if ! check "the client maps the ivshmem BAR through sysfs" wait_for_line "$serial_log" \
        'thatte-display-client: channel /sys/bus/pci/devices/[0-9a-f:.]+/resource2 160x100, 3 buffers' \
        "$disp_timeout"; then
        diag_file "$serial_log"
        diag_file "$qemu_log"
fi
check "it publishes 20 frames" wait_for_line "$serial_log" 'thatte-display-client: published 20 frames' 120
check "the host sees the magic" test "$(head -c 8 "$ch" | od -A n -t x1 | tr -d ' ')" = 54485443484e4c00
check "and the title" test "$(dd if="$ch" bs=1 skip=24 count=5 status=none)" = guest
# published (offset 944) = seq * 4 + buffer; heartbeat at 936
check "frame 20 is the published one" test $(($(u64 "$ch" 944) / 4)) = 20
# beats_past N TIMEOUT: until the heartbeat (offset 936) is past N.
beats_past() {
        local end=$((SECONDS + $2))
        until [ "$(u64 "$ch" 936)" -gt "$1" ]; do
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.1
        done
}
beat=$(u64 "$ch" 936)
check "the heartbeat goes on (past $beat)" beats_past "$beat" 10
finish
