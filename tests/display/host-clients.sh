#!/bin/bash
# tests/display/host-clients.sh: DriverOS's compositor shows host-side
# clients' display channels (thatte-display-client on the backing files of
# ivshmem-plain devices), in one boot of DriverOS under QEMU (TCG):
#   - alpha (320x200 gradient) becomes a window: the marker names it, the
#     client hears its frame was shown, the screendump holds its picture at
#     the place the compositor logged;
#   - beta (200x120 quadrants) joins while alpha stays: two clients at once;
#     it animates 30 frames whose damage names only the square's old and
#     new places: the screendump shows the square of frame 30 and no trail;
#   - junk, a channel with the right magic and garbage after it, rewritten
#     while beta animates, never becomes a window and beta keeps updating;
#   - a click (QMP input-send-event on the virtio tablet) inside alpha and
#     a key reach alpha's input ring (the client prints them, in window
#     coordinates) and not beta's;
#   - alpha ended by SIGTERM (it clears its magic) and beta killed (its
#     heartbeat stands still) each make the compositor log `gone`.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/lib-display.sh"

# garbage FILE: the magic and version of a channel, random bytes after.
garbage() {
        head -c 4096 /dev/urandom | dd of="$1" conv=notrunc status=none &&
                printf 'THTCHNL\0\1\0\0\0' | dd of="$1" conv=notrunc status=none
}

disp_prepare
plan 19
disp_channel alpha
disp_channel beta
disp_channel junk
garbage "$scratch/junk"
disp_boot_compositor

client_start alpha --size 320x200 --pattern gradient
if ! check "alpha: the compositor logs its window" \
        wait_for_line "$serial_log" 'thatte-compositor: client alpha 320x200' "$disp_timeout"; then
        diag_file "$serial_log"
        diag_file "$scratch/alpha.out"
fi
check "alpha: the client hears frame 1 was shown" wait_client alpha 'frame 1 shown' 60
check "alpha: screendump taken" qemu_screendump "$scratch/one.ppm"
check_window alpha "$scratch/one.ppm" --pattern gradient --size 320x200

client_start beta --size 200x120 --pattern quadrants --animate --frames 30
check "beta: a second window while alpha stays" \
        wait_for_line "$serial_log" 'thatte-compositor: client beta 200x120' "$disp_timeout"
garbage "$scratch/junk"
check "beta: frame 30 (damage-only frames) shown" wait_client beta 'frame 30 shown' 120
check "two clients: screendump taken" qemu_screendump "$scratch/two.ppm"
check_window beta "$scratch/two.ppm" --pattern quadrants --size 200x120 --square 30
check "alpha is still there" find_window "$scratch/two.ppm" --pattern gradient --size 320x200
check "junk never became a window" \
        bash -c '! grep -a "thatte-compositor: client " "$1" | grep -qvE "client (alpha|beta) "' _ "$serial_log"

# A click in the middle of alpha, then the key A, through QMP.
read -r ax ay <<<"$(window_place alpha)"
if [ -z "$ax" ]; then
        read -r ax ay <<<"$(find_window "$scratch/one.ppm" --pattern gradient --size 320x200 >/dev/null; echo "$found")"
fi
qmp_click $((ax + 160)) $((ay + 100))
check "a click inside alpha reaches alpha (button 272 1 near 160 100)" \
        wait_client alpha 'button 272 1 1[56][0-9] (9[0-9]|10[0-9])$' 60
qmp_key a
check "the key A reaches alpha (key 30 1, key 30 0)" wait_client alpha 'key 30 0' 60
check "in order, down first" awk '/: key 30 1$/ { d = NR } /: key 30 0$/ { u = NR }
        END { exit !(d && d < u) }' "$scratch/alpha.out"
check "beta saw neither" bash -c '! grep -aqE "(button|key) " "$1"' _ "$scratch/beta.out"
diag "alpha's input: $(grep -aE ': (button|key|focus|motion) ' "$scratch/alpha.out" | tail -n 6 | tr '\n' ';')"

client_stop alpha TERM
check "alpha ended by SIGTERM: its window goes" \
        wait_for_line "$serial_log" 'thatte-compositor: client alpha gone' 30
t0=$(date +%s.%N)
client_stop beta KILL
check "beta killed: its window goes when the heartbeat stands still" \
        wait_for_line "$serial_log" 'thatte-compositor: client beta gone' 30
diag "beta gone $(seconds_since "$t0") s after the kill (TCG; the protocol says stale after 1.5 s)"
check "the compositor still runs" qemu_alive
if [ "$tap_failed" != 0 ]; then
        diag_file "$serial_log" 60
        diag_file "$scratch/alpha.out" 20
        diag_file "$scratch/beta.out" 20
fi
finish
