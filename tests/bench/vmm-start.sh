#!/bin/bash
# tests/bench/vmm-start.sh THATTE_VMM [RUNS]: time from `thatte-vmm start`
# to its return (QEMU up and QMP answering), against a bare
# qemu-system-x86_64 started with the very argv `thatte-vmm cmdline` prints,
# timed until its QMP socket answers. Both TCG, a small BIOS VM.
vmm=${1:?usage: vmm-start.sh THATTE_VMM [RUNS]}
runs=${2:-5}
qmp_helper=$(dirname -- "$vmm")/../tests/helpers/thatte-test-qmp
t=$(mktemp -d /tmp/thatte-bench.XXXXXX) || exit 1
export XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state XDG_CONFIG_HOME=$t/config
trap '"$vmm" kill bench >/dev/null 2>&1; rm -rf "$t"' EXIT
mkdir -m 700 "$t/run"
mkdir -p "$t/config/thatte/vms"
printf '[vm]\nname = "bench"\nmemory = 128\n[boot]\nfirmware = "bios"\n[display]\ngpu = "none"\n' \
        >"$t/config/thatte/vms/bench.toml"
[ -x "$qmp_helper" ] || { echo "vmm-start.sh: $qmp_helper not built" >&2; exit 1; }

now_ns() { date +%s%N; }

bare_ms() {
        local argv start end pid
        mapfile -t argv < <("$vmm" cmdline bench --accel tcg)
        mkdir -p -m 700 "$t/run/thatte-vmm/bench"
        start=$(now_ns)
        "${argv[@]}" </dev/null >/dev/null 2>&1 &
        pid=$!
        "$qmp_helper" --wait 30 "$t/run/thatte-vmm/bench/qmp.sock" '{"execute":"query-status"}' >/dev/null
        end=$(now_ns)
        kill -KILL "$pid"
        wait "$pid" 2>/dev/null
        rm -rf "$t/run/thatte-vmm/bench"
        echo $(((end - start) / 1000000))
}

vmm_ms() {
        local start end
        start=$(now_ns)
        "$vmm" start bench --accel tcg || return 1
        end=$(now_ns)
        "$vmm" kill bench
        echo $(((end - start) / 1000000))
}

bare_total=0 vmm_total=0
for ((i = 0; i < runs; i++)); do
        b=$(bare_ms) && v=$(vmm_ms) || exit 1
        bare_total=$((bare_total + b))
        vmm_total=$((vmm_total + v))
done
awk -v b="$bare_total" -v v="$vmm_total" -v n="$runs" 'BEGIN {
        printf "bare qemu to QMP ready:       %7.1f ms (mean of %d)\n", b / n, n
        printf "thatte-vmm start (QMP ready): %7.1f ms  %5.2f x bare qemu\n", v / n, v / (b > 0 ? b : 1) }'
