#!/bin/bash
# tests/compositor/test-channel-files.sh: channel files attacked by a
# hostile local process while the compositor (ppm backend) has them mapped.
# Channel A is truncated to 0, shrunk below its header, shrunk below its
# pixel buffers (then a frame from them published), grown, unlinked (then
# a FIFO put in its place), and replaced by rename with a new valid
# channel; each time A's window must go with a logged reason (and a grown
# or replaced file come back as a window with the right pixels), while
# channel B keeps updating and the compositor keeps running. (A's own
# channel-tool may die of SIGBUS when its file is truncated: bash reports
# that; it is the compositor that must survive.)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/qemu-common.sh"

comp_host_programs
plan 33

log=$scratch/comp.log
screen=$scratch/screen.ppm
a=$scratch/a
a_pid= b_pid= new_pid= comp_pid= b_updates=0
# shellcheck disable=SC2086 # the pids are words, some empty
trap 'kill $comp_pid $a_pid $b_pid $new_pid 2>/dev/null; lib_cleanup' EXIT

# wait_after N REGEX SECONDS: a line of the compositor's log after line N
# matches REGEX.
wait_after() {
        local from=$1 regex=$2 end=$((SECONDS + $3))
        until tail -n "+$((from + 1))" "$log" | grep -aqE -- "$regex"; do
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.1
        done
}
lines() { wc -l <"$log"; }
place() { tail -n "+$(($1 + 1))" "$log" | grep -aoE -m1 -- "$2 at [0-9]+,[0-9]+" | sed 's/.* at //'; }

# start_a TITLE WxH [FILE]: a fresh client A (on FILE, default $a) and its
# window's place once shown.
start_a() {
        local file=${3:-$a} from
        stop_a
        rm -f "$file"
        from=$(lines)
        "$tool" fill "$file" "$1" "$2" >"$scratch/a.log" 2>&1 &
        a_pid=$!
        wait_for_line "$scratch/a.log" 'published 1' 10 || bail_out "channel-tool did not start"
        [ "$file" != "$a" ] && return 0
        wait_after "$from" "^thatte-compositor: client $1 $2 at " 10 || bail_out "client $1 not shown"
        a_at=$(place "$from" "client $1 $2")
}
stop_a() {
        [ -n "$a_pid" ] && kill "$a_pid" 2>/dev/null
        [ -n "$a_pid" ] && wait "$a_pid" 2>/dev/null
        a_pid=
}
pixels() { "$tool" check "$screen" "${1%,*}" "${1#*,}" "${@:2}"; }
no_pixels() { ! pixels "$@" >/dev/null; }
both() { pixels "$a_at" 96x64 && pixels "$b_at" 64x48; }

# b_updates: channel B publishes its next frame (square and full picture
# in turn), which must reach the screen.
b_updates() {
        local square
        kill -USR1 "$b_pid"
        b_updates=$((b_updates + 1))
        wait_for_line "$scratch/b.log" "published $((b_updates + 1))\$" 10 || return 1
        [ $((b_updates % 2)) = 1 ] && square=square
        until_ok 10 pixels "$b_at" 64x48 $square
}

# attack NAME CMD...: runs CMD against channel A; A's window must go with a
# reason, B must keep updating.
attack() {
        local name=$1 from
        shift
        from=$(lines)
        "$@"
        check "$name: A's window goes, with a reason" \
                wait_after "$from" '^thatte-compositor: client host a gone: .+' 3
        diag "$(tail -n "+$((from + 1))" "$log" | grep -a 'client host a gone' | head -n1)"
        check "$name: B keeps updating" b_updates
        check "$name: the compositor is still running" kill -0 "$comp_pid"
}

"$tool" fill "$scratch/b" "host b" 64x48 >"$scratch/b.log" &
b_pid=$!
wait_for_line "$scratch/b.log" 'published 1' 10 || bail_out "channel-tool did not start"
"$tool" fill "$a" "host a" 96x64 >"$scratch/a.log" &
a_pid=$!
wait_for_line "$scratch/a.log" 'published 1' 10 || bail_out "channel-tool did not start"
"$comp" --backend ppm --size 640x400 --output "$screen" \
        --channel "$a" --channel "$scratch/b" 2>"$log" &
comp_pid=$!
wait_for_line "$log" '^thatte-compositor: client host b 64x48 at ' 10 || bail_out "B not shown"
b_at=$(place 0 'client host b 64x48')
wait_for_line "$log" '^thatte-compositor: client host a 96x64 at ' 10 || bail_out "A not shown"
a_at=$(place 0 'client host a 96x64')
check "A and B are on the screen" until_ok 5 both

attack "truncated to 0" truncate -s 0 "$a"

start_a "host a" 96x64
attack "shrunk below its header" truncate -s 2048 "$a"

start_a "host a" 96x64
attack "shrunk below its pixel buffers, then a frame published" "$tool" cut "$a" 8192

start_a "host a" 96x64
from=$(lines)
attack "grown to 16 MiB" truncate -s 16M "$a"
check "grown: A comes back as a window" \
        wait_after "$from" '^thatte-compositor: client host a 96x64 at ' 5
check "grown: with its pixels" until_ok 5 pixels "$(place "$from" 'client host a 96x64')" 96x64

start_a "host a" 96x64
from=$(lines)
attack "unlinked" rm "$a"
check "unlinked: the missing file is reported" \
        wait_after "$from" "^thatte-compositor: channel $a ignored: .*No such file" 3
check "unlinked: A does not come back" bash -c "! tail -n +$((from + 1)) '$log' | grep -q 'client host a 96x64'"
mkfifo "$a"
check "a FIFO in its place is refused" \
        wait_after "$from" "^thatte-compositor: channel $a ignored: not a regular file" 3
check "and B keeps updating" b_updates

start_a "host a" 96x64
"$tool" fill "$a.new" "host new" 80x48 >"$scratch/new.log" &
new_pid=$!
wait_for_line "$scratch/new.log" 'published 1' 10 || bail_out "channel-tool did not start"
from=$(lines)
attack "replaced by rename" mv "$a.new" "$a"
check "replaced: the new channel is shown" \
        wait_after "$from" '^thatte-compositor: client host new 80x48 at ' 5
check "replaced: with its pixels" until_ok 5 pixels "$(place "$from" 'client host new 80x48')" 80x48
check "replaced: A's picture left the screen" until_ok 5 no_pixels "$a_at" 96x64
kill -USR1 "$new_pid"
check "replaced: the new channel's updates show" \
        until_ok 10 pixels "$(place "$from" 'client host new 80x48')" 80x48 square
kill "$new_pid"
stop_a

check "B is still on the screen" pixels "$b_at" 64x48 $([ $((b_updates % 2)) = 1 ] && echo square)
check "nobody died of SIGBUS" kill -0 "$comp_pid"
kill "$comp_pid"
wait "$comp_pid"
check "SIGTERM ends it with status 0" test $? -eq 0
kill "$b_pid"
check "no unexpected messages" bash -c "! grep -av -e '^thatte-compositor: client host [abn][a-z]* ' \
        -e '^thatte-compositor: channel $a ignored: ' -e '^thatte-compositor: ppm ' '$log'"
diag_file "$log"
finish
