#!/bin/bash
# tests/compositor/test-session.sh: the whole compositor on the host, with
# the ppm backend and channel files (--channel) filled by channel-tool: a
# client appears as a window at the logged place with its exact pixels, a
# damage-only update shows, a garbage channel is ignored, a stopped client
# goes within 2 s, and the screen is the background again.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/qemu-common.sh"

comp_host_programs
plan 9


log=$scratch/comp.log
"$tool" garbage "$scratch/junk"
"$tool" fill "$scratch/ch" "host one" 96x64 >"$scratch/fill.log" &
fill_pid=$!
wait_for_line "$scratch/fill.log" 'published 1' 10 || bail_out "channel-tool did not start"
"$comp" --backend ppm --size 640x400 --output "$scratch/screen.ppm" \
        --channel "$scratch/junk" --channel "$scratch/ch" 2>"$log" &
comp_pid=$!
check "the window appears" wait_for_line "$log" '^thatte-compositor: client host one 96x64 at [0-9]+,[0-9]+$' 10
at=$(first_match "$log" 'client host one 96x64 at [0-9]+,[0-9]+' | sed 's/.* at //')
check "its pixels are at the logged place ($at)" "$tool" check "$scratch/screen.ppm" "${at%,*}" "${at#*,}" 96x64
check "the garbage channel is reported and ignored" grep -q "channel $scratch/junk ignored: " "$log"
kill -USR1 "$fill_pid"
wait_for_line "$scratch/fill.log" 'published 2' 10
check "a damage-only update shows (and only the damage is taken)" \
        until_ok 10 "$tool" check "$scratch/screen.ppm" "${at%,*}" "${at#*,}" 96x64 square
start=$SECONDS
kill "$fill_pid"
check "a client that stops is gone within 2 s" wait_for_line "$log" '^thatte-compositor: client host one gone$' 3
diag "gone after $((SECONDS - start)) s"
check "its window left the screen" \
        until_ok 5 bash -c "! '$tool' check '$scratch/screen.ppm' '${at%,*}' '${at#*,}' 96x64"
check "the compositor is still running" kill -0 "$comp_pid"
kill "$comp_pid"
wait "$comp_pid"
check "SIGTERM ends it with status 0" test $? -eq 0
check "no other messages" bash -c "! grep -v -e 'client host one' -e 'junk ignored' -e '^thatte-compositor: ppm ' '$log'"
diag_file "$log"
finish
