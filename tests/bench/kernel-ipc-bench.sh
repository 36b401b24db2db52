#!/bin/sh
# tests/bench/kernel-ipc-bench.sh [BENCH]: instructions per IPC round trip
# (call + reply_recv) of thatte-mk, counted by callgrind, as
# (I(20000) - I(10000)) / 10000 for the fast path and for the slow path
# (the reference, measured in the same run), and their ratio. The count
# includes the benchmark's own loop (28 instructions per round trip).
bench=${1:-${top_builddir:-.}/tests/bench/kernel-ipc-bench}

if ! command -v valgrind >/dev/null 2>&1; then
        echo "kernel-ipc-bench: valgrind not found" >&2
        exit 1
fi
if ! test -x "$bench"; then
        echo "kernel-ipc-bench: $bench not built (run make)" >&2
        exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# instructions N MODE: total instructions of one run
instructions() {
        valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" "$1" "$2" \
                >"$tmp/stdout" 2>"$tmp/stderr" || {
                echo "kernel-ipc-bench: run $1 $2 failed" >&2
                cat "$tmp/stdout" "$tmp/stderr" >&2
                exit 1
        }
        sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$tmp/out"
}

per_round() {
        a=$(instructions 10000 "$1") || exit 1
        b=$(instructions 20000 "$1") || exit 1
        echo $(( (b - a) / 10000 ))
}

fast=$(per_round fastpath) || exit 1
slow=$(per_round slowpath) || exit 1
echo "kernel-ipc fastpath: $fast instructions per round trip (core target <= 220; booted, entry and exit included: <= 400)"
echo "kernel-ipc slowpath: $slow instructions per round trip (reference)"
awk -v f="$fast" -v s="$slow" 'BEGIN { printf "kernel-ipc fastpath/slowpath: %.3f\n", f / s }'
