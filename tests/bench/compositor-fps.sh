#!/bin/bash
# tests/bench/compositor-fps.sh: frames per second of
# `thatte-compositor --animate` on virtio-gpu under QEMU (TCG unless
# THATTE_TEST_ACCEL=kvm), a figure, not a target.
#
# One boot of a DriverOS initramfs (thatte-driveros-make), two runs timed by
# test-runner inside the guest: --once (set
# up, one frame, restore) as the reference, then --animate --frames N+1; the
# difference is N page-flipped frames. Needs a build tree (top_builddir) and
# what the integration tests need; prints one line per figure.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../driveros/lib-driveros.sh"
. "$here/../compositor/qemu-common.sh"

frames=${THATTE_BENCH_FRAMES:-120}
printf '%s\n' --backend drm --once -- --backend drm --animate --frames $((frames + 1)) >"$scratch/args"
comp_prepare "$scratch/args" --modules=virtio_pci,virtio_gpu >/dev/null
comp_boot -device virtio-gpu-pci -- quiet
wait_for_line "$serial_log" 'thatte-test-runner: done' 900 || {
        echo "compositor-fps: the guest did not finish" >&2
        cat "$serial_log" >&2
        exit 1
}
once=$(first_match "$serial_log" 'run 1 exited with status 0 after [0-9.]+' | awk '{ print $NF }')
anim=$(first_match "$serial_log" 'run 2 exited with status 0 after [0-9.]+' | awk '{ print $NF }')
size=$(first_match "$serial_log" 'drm [0-9]+x[0-9]+' | awk '{ print $2 }')
[ -n "$once" ] && [ -n "$anim" ] || { echo "compositor-fps: a run failed" >&2; cat "$serial_log" >&2; exit 1; }
awk -v o="$once" -v a="$anim" -v n="$frames" -v s="$size" -v acc="${THATTE_TEST_ACCEL:-tcg}" 'BEGIN {
        printf "compositor-fps: --once (reference): %.3f s; --animate --frames %d: %.3f s\n", o, n + 1, a
        printf "compositor-fps: virtio-gpu %s XRGB8888, %s: %.1f frames/s (%d frames in %.3f s)\n",
               s, acc, n / (a - o), n, a - o
}'
