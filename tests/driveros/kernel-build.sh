#!/bin/bash
# kernel-build.sh: --kernel=thatte with a bad --kernel-config fragment stops
# before the long build and names the line (FILE:LINE): a syntax error at
# once, an unknown symbol right after configuring; both exit 2 and leave no
# output and no cache entry. A kernel build stopped by SIGTERM leaves no
# output, no cache entry, no build folder and no process of its session.
# Uses the shared cache (its unpacked source); builds no kernel to the end.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_kernel_build
plan 15

mkdir -p "$scratch/out"
not_grep() { ! grep -aq "$1" "$2"; }

# make_with FRAGMENT-TEXT: a build with that fragment; sets status.
make_with() {
        printf '%s' "$1" >"$scratch/frag.config"
        drv_build "$scratch/out/img" -v --kernel=thatte --kernel-config "$scratch/frag.config"
        status=$?
}
# nothing_new: no output, and neither the cache entry the log names nor a
# build folder: the cache's one build.tmp may only be there while another
# run (another test) holds the cache's lock and builds in it.
nothing_new() {
        local dir
        dir=$(sed -n 's/.*kernel: \(.*\) is not in the cache yet$/\1/p' "$scratch/make.log")
        [ ! -e "$scratch/out/img" ] || return 1
        [ -n "$dir" ] || return 0
        [ ! -e "$dir" ] || return 1
        [ ! -e "${dir%/*}/build.tmp" ] || ! flock -n "${dir%/*}/lock" true
}

start=$(date +%s.%N)
make_with $'# a fragment\nCONFIG_PVH=y\nCONFIG_THATTE_BROKEN y\n'
check "syntax error: exit status 2" test "$status" = 2
check "syntax error: reported as FILE:LINE" \
        grep -qF "$scratch/frag.config:3: expected CONFIG_NAME=VALUE" "$scratch/make.log"
check "syntax error: reported at once (before any download)" \
        awk -v t="$(seconds_since "$start")" 'BEGIN { exit !(t < 10) }'
check "syntax error: no output, no cache entry" nothing_new

make_with $'CONFIG_PVH=y\n\nCONFIG_THATTE_NO_SUCH_SYMBOL=y\n'
check "unknown symbol: exit status 2" test "$status" = 2
check "unknown symbol: reported as FILE:LINE" grep -qF \
        "$scratch/frag.config:3: CONFIG_THATTE_NO_SUCH_SYMBOL=y did not hold: unknown symbol" "$scratch/make.log"
check "unknown symbol: found before the long build" not_grep 'kernel: building' "$scratch/make.log"
check "unknown symbol: no output, no cache entry" nothing_new

# An interrupted build: a fragment of its own (so a new cache key), stopped
# once the compiler runs. Waiting covers another run's build of the shared
# cache holding the lock.
printf 'CONFIG_LOCALVERSION="-interrupt-test"\n' >"$scratch/frag.config"
setsid "$drv_make" --cache "$drv_cache" --compositor "$drv_compositor" --init "$drv_init" \
        -o "$scratch/out/img" -v --kernel=thatte --kernel-config "$scratch/frag.config" \
        >"$scratch/make.log" 2>&1 &
pid=$!
wait_for_line "$scratch/make.log" 'kernel: building' 1800
check "interrupt: the kernel build started" test $? = 0
# The build runs make's own steps between compiler runs: under load a single
# look can miss cc1, so watch for it for a while.
compiler_running() {
        local end=$((SECONDS + 300))
        until pgrep -s "$pid" -x cc1 >/dev/null; do
                [ "$SECONDS" -lt "$end" ] && kill -0 "$pid" 2>/dev/null || return 1
                sleep 0.2
        done
}
check "interrupt: the compiler is running" compiler_running
kill -TERM "$pid"
wait "$pid"
status=$?
sleep 0.5
left=$(ps -eo sid=,pid=,stat=,comm= | awk -v s="$pid" '$1 == s && $3 !~ /^Z/ { print $2, $4 }')
diag "SIGTERM during the build: exit status $status"
check "interrupt: the program stops" test "$status" != 0
check "interrupt: the log names the cache entry" grep -q 'is not in the cache yet' "$scratch/make.log"
check "interrupt: no output, no cache entry, no build folder" nothing_new
check "interrupt: no process left" test -z "$left"
[ -z "$left" ] || diag "left running: $left"
check "interrupt: says so" grep -q 'interrupted' "$scratch/make.log"
finish
