#!/bin/bash
# interrupt.sh: a build stopped by SIGTERM or SIGINT (while downloading and
# while unpacking) or by a failed download leaves no output, no temporary folder in the output's
# folder or the cache, and no process of its group; the next run works.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
plan 10

# A private cache, seeded from the shared one when it holds the kernel so
# the interruption can land in the unpacking too.
cache=$scratch/cache
mkdir -p "$cache"

# interrupt_at SIGNAL SECONDS: starts a build in its own session, sends
# SIGNAL to the program after SECONDS; sets status (its exit status) and
# left (processes of its session still running).
interrupt_at() {
        local pid
        setsid "$drv_make" --cache "$cache" --compositor "$drv_compositor" --init "$drv_init" \
                -o "$scratch/out/img" >>"$scratch/make.log" 2>&1 &
        pid=$!
        sleep "$2"
        kill "-$1" "$pid" 2>/dev/null
        wait "$pid"
        status=$?
        # Anything still alive in its session (apt's methods, dpkg-deb)?
        sleep 0.5
        # Zombies do not count: they are dead, waiting for whoever reaps
        # orphans here (a container's PID 1 may be slow at it).
        left=$(ps -eo sid=,pid=,stat=,comm= | awk -v s="$pid" '$1 == s && $3 !~ /^Z/ { print $2, $4 }')
}

# nothing_left: no image, no temporary folders, no processes.
nothing_left() {
        [ ! -e "$scratch/out/img" ] &&
                [ -z "$(find "$scratch/out" -mindepth 1 -maxdepth 1)" ] &&
                [ -z "$(find "$cache" -maxdepth 1 \( -name 'download.*' -o -name 'unpack.*' \))" ] &&
                [ -z "$left" ]
}

mkdir -p "$scratch/out"
interrupt_at TERM 0.5
diag "SIGTERM after 0.5 s: exit status $status"
check "SIGTERM early: the build stops" test "$status" != 0
check "SIGTERM early: nothing left behind" nothing_left
[ -z "$left" ] || diag "left running: $left"

# Seed the cache with the .deb so the next interruption hits dpkg-deb -x.
deb=$(find "$drv_cache" -maxdepth 1 -name 'linux-image-*.deb' 2>/dev/null | sort | tail -n 1)
[ -z "$deb" ] || cp -- "$deb" "$cache/"
interrupt_at INT 2
diag "SIGINT after 2 s: exit status $status"
check "SIGINT while working: the build stops" test "$status" != 0
check "SIGINT while working: nothing left behind" nothing_left
[ -z "$left" ] || diag "left running: $left"

# A build into a folder that is not an image is refused, the folder kept.
mkdir -p "$scratch/other" && echo keep >"$scratch/other/file"
"$drv_make" --cache "$cache" --compositor "$drv_compositor" --init "$drv_init" \
        -o "$scratch/other" >"$scratch/other.log" 2>&1
check "an output folder that is not an image is refused" test $? = 1
check "and kept" grep -qx keep "$scratch/other/file"

# A download that fails (a kernel package the archive does not have) is an
# error like any other: no image, no temporary folder.
left=
"$drv_make" --cache "$cache" --compositor "$drv_compositor" --init "$drv_init" \
        --kernel-package thatte-no-such-kernel-package -o "$scratch/out/img" >"$scratch/fail.log" 2>&1
check "a failed download fails the build" test $? = 1
check "a failed download: nothing left behind" nothing_left
diag_file "$scratch/fail.log" 3

start=$(date +%s.%N)
check "the next run works" "$drv_make" --cache "$cache" --compositor "$drv_compositor" \
        --init "$drv_init" -o "$scratch/out/img"
diag "build after the interruptions: $(seconds_since "$start") s"
check "and wrote a complete image" sh -c 'cd "$1" && sha256sum --quiet -c MANIFEST' - "$scratch/out/img"
finish
