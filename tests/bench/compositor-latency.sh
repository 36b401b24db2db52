#!/bin/bash
# tests/bench/compositor-latency.sh: client commit to pixels on DriverOS's
# screen, measured inside the guest, under QEMU (TCG unless
# THATTE_TEST_ACCEL=kvm): a figure, not a target.
#
# One boot of a DriverOS initramfs with virtio-gpu and an ivshmem channel;
# test-runner runs the compositor (drm, --log-frames) and, next to it,
# channel-tool bench on the channel's resource2: N damage-only 64x64
# frames, one at a time. Per frame: from the client's publish (its
# "published SEQ at NS") to the compositor's DirtyFB done ("frame NAME SEQ
# on screen at NS"), both CLOCK_MONOTONIC of the guest. Prints the median
# and the spread. The compositor polls channels every 10 ms, so about 5 ms
# of the median is waiting for the next round.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../driveros/lib-driveros.sh"
. "$here/../compositor/qemu-common.sh"

frames=${THATTE_BENCH_FRAMES:-60}
tool=${top_builddir:-.}/tests/compositor/channel-tool
tool_in_image=/usr/libexec/thatte-test/channel-tool
printf '%s\n' --backend drm --log-frames \
        "@also $tool_in_image bench /sys/bus/pci/devices/0000:00:06.0/resource2 latency 320x200 $frames" \
        >"$scratch/args"
comp_prepare "$scratch/args" --modules=virtio_pci,virtio_gpu --add "$tool=$tool_in_image" >/dev/null
truncate -s 8M "$scratch/channel"
comp_boot -device virtio-gpu-pci \
        -object "memory-backend-file,id=ch-bench,share=on,mem-path=$scratch/channel,size=8M" \
        -device ivshmem-plain,memdev=ch-bench,addr=06.0 -- quiet
wait_for_line "$serial_log" 'thatte-test-runner: done' 900 || {
        echo "compositor-latency: the guest did not finish" >&2
        cat "$serial_log" >&2
        exit 1
}
grep -q 'channel-tool: bench done' "$serial_log" || {
        echo "compositor-latency: the client did not finish" >&2
        cat "$serial_log" >&2
        exit 1
}
# Per frame SEQ: on screen - published, in ms; then sorted for the median.
tr -d '\r' <"$serial_log" | awk '
        /^channel-tool: published [0-9]+ at [0-9]+$/ { pub[$3] = $5 }
        /^thatte-compositor: frame latency [0-9]+ on screen at [0-9]+ tsc [0-9]+$/ { shown[$4] = $8 }
        END { for (s in pub) if (s in shown) printf "%.3f\n", (shown[s] - pub[s]) / 1e6 }' |
        sort -n >"$scratch/latencies"
[ -s "$scratch/latencies" ] || { echo "compositor-latency: no frame pairs" >&2; cat "$serial_log" >&2; exit 1; }
awk -v acc="${THATTE_TEST_ACCEL:-tcg}" '{ d[NR] = $1 } END {
        median = NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2
        printf "compositor-latency: client commit to pixels (DirtyFB done), 64x64 damage, %s: median %.2f ms (min %.2f, max %.2f, %d frames)\n", acc, median, d[1], d[NR], NR
}' "$scratch/latencies"
