#!/bin/bash
# tests/compositor/qemu-channel.sh: a display channel shown by the
# compositor inside DriverOS.
#
# Boots a DriverOS initramfs (Debian's kernel; virtio-gpu, virtio input and
# evdev modules) under QEMU with an ivshmem-plain device whose backing file
# the host fills with channel-tool (a valid header, the quadrant picture,
# a heartbeat). thatte-init runs test-runner, which runs the compositor
# (drm, staying) until Enter. The test checks that the compositor logs the
# client, the screendump shows its exact pixels at the logged place, a
# damage-only update appears, a QMP click and key reach the client's input
# ring in window coordinates, and stopping the client removes the window
# within 2 s while the compositor keeps running.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/qemu-common.sh"

timeout=240
tool=${top_builddir:-.}/tests/compositor/channel-tool
[ -x "$tool" ] || bail_out "tests/compositor/channel-tool not built (make check builds it)"
printf '%s\n' --backend drm @term >"$scratch/args"
comp_prepare "$scratch/args" --modules=virtio_pci,virtio_gpu,virtio_input,evdev
plan 12

channel=$scratch/channel
"$tool" fill "$channel" "qemu one" 160x120 >"$scratch/fill.log" &
fill_pid=$!
wait_for_line "$scratch/fill.log" 'published 1' 10 || bail_out "channel-tool did not start"
comp_boot -device virtio-gpu-pci \
        -object "memory-backend-file,id=ch-test,share=on,mem-path=$channel,size=8M" \
        -device ivshmem-plain,memdev=ch-test \
        -device virtio-keyboard-pci -device virtio-tablet-pci -- quiet
if ! check "the compositor logs the client" \
        wait_for_line "$serial_log" '^thatte-compositor: client qemu one 160x120 at [0-9]+,[0-9]+' "$timeout"; then
        diag_file "$serial_log"
        diag_file "$qemu_log"
fi
diag "client shown after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
at=$(first_match "$serial_log" 'client qemu one 160x120 at [0-9]+,[0-9]+' | sed 's/.* at //')
x=${at%,*} y=${at#*,}
size=$(first_match "$serial_log" 'thatte-compositor: drm [0-9]+x[0-9]+' | awk '{ print $3 }')
diag "screen $size, surface at $at"
check "screendump taken" qemu_screendump "$scratch/screen.ppm"
check "the surface's pixels are at the logged place" \
        "$tool" check "$scratch/screen.ppm" "$x" "$y" 160x120

shot_and_check() {
        qemu_screendump "$scratch/screen2.ppm" && "$tool" check "$scratch/screen2.ppm" "$@"
}
kill -USR1 "$fill_pid"
check "a damage-only update appears" until_ok 30 shot_and_check "$x" "$y" 160x120 square

# A click inside the surface at (40, 30), then the key A. The tablet's
# axes run 0..32767 over the screen.
w=${size%x*} h=${size#*x}
ax=$(( (x + 40) * 32767 / (w - 1) + 1 )) ay=$(( (y + 30) * 32767 / (h - 1) + 1 ))
qmp "{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[
        {\"type\":\"abs\",\"data\":{\"axis\":\"x\",\"value\":$ax}},
        {\"type\":\"abs\",\"data\":{\"axis\":\"y\",\"value\":$ay}}]}}" >/dev/null
qmp '{"execute":"input-send-event","arguments":{"events":[{"type":"btn","data":{"down":true,"button":"left"}}]}}' >/dev/null
qmp '{"execute":"input-send-event","arguments":{"events":[{"type":"btn","data":{"down":false,"button":"left"}}]}}' >/dev/null
check "the click reaches the client in window coordinates (BTN_LEFT near 40,30)" \
        wait_for_line "$scratch/fill.log" '^channel-tool: input 2 272 (39|40|41) (29|30|31) 1$' 30
qmp '{"execute":"input-send-event","arguments":{"events":[{"type":"key","data":{"down":true,"key":{"type":"qcode","data":"a"}}}]}}' >/dev/null
qmp '{"execute":"input-send-event","arguments":{"events":[{"type":"key","data":{"down":false,"key":{"type":"qcode","data":"a"}}}]}}' >/dev/null
check "the key reaches the focused client (KEY_A down)" \
        wait_for_line "$scratch/fill.log" '^channel-tool: input 1 30 0 0 1$' 30
grep -a 'input' "$scratch/fill.log" | head -n 8 | sed 's/^/# /'

# Dragging the title bar by (+100, +50) moves the window there.
abs_at() { # X Y: the tablet position of screen pixel X,Y
        echo "{\"type\":\"abs\",\"data\":{\"axis\":\"x\",\"value\":$(( $1 * 32767 / (w - 1) + 1 ))}},
              {\"type\":\"abs\",\"data\":{\"axis\":\"y\",\"value\":$(( $2 * 32767 / (h - 1) + 1 ))}}"
}
send_events() { qmp "{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[$1]}}" >/dev/null; }
button() { echo "{\"type\":\"btn\",\"data\":{\"down\":$1,\"button\":\"left\"}}"; }
send_events "$(abs_at $((x + 40)) $((y - 8)))"
send_events "$(button true)"
send_events "$(abs_at $((x + 90)) $((y + 17)))"
send_events "$(abs_at $((x + 140)) $((y + 42)))"
send_events "$(button false)"
send_events "$(abs_at 5 $((h - 20)))"   # the cursor out of the way
check "dragging the title bar moves the window by (+100,+50)" \
        until_ok 30 shot_and_check $((x + 100)) $((y + 50)) 160x120 square
x=$((x + 100)) y=$((y + 50))

kill "$fill_pid"
start=$(date +%s%N)
check "stopping the client removes its window" \
        wait_for_line "$serial_log" '^thatte-compositor: client qemu one gone' 10
diag "gone $(( ($(date +%s%N) - start) / 1000000 )) ms after the client stopped"
not_shown() { qemu_screendump "$scratch/screen3.ppm" && ! "$tool" check "$scratch/screen3.ppm" "$x" "$y" 160x120; }
check "its place no longer shows the surface" until_ok 10 not_shown
qmp '{"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"ret"}]}}' >/dev/null
check "the compositor was still running and SIGTERM ends it with status 0" \
        wait_for_line "$serial_log" 'thatte-test-runner: run 1 exited with status 0 ' 60 ||
        diag_file "$serial_log"
# ivshmem-plain has no MSI-X and Debian's kernel no VFIO no-IOMMU: polled.
check "the compositor says it polls the channel (no doorbell)" \
        grep -aq '^thatte-compositor: channel /sys/bus/pci/devices/.*/resource2 polling (no doorbell: ' "$serial_log"
check "no unexpected messages from the compositor" \
        bash -c '! grep -a "^thatte-compositor:" "$1" | grep -av -e " on /dev/dri/" -e "client qemu one" \
                -e "resource2 polling (no doorbell: "' _ "$serial_log"
qemu_wait_exit 60 || qmp '{"execute":"quit"}' >/dev/null
finish
