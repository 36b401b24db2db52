#!/bin/bash
# tests/bench/vmm-cli.sh THATTE_VMM [RUNS]: mean wall time of thatte-vmm's
# quick verbs (cmdline, status, list), each as a ratio to `true` measured
# in the same run. Target: each under 5 ms.
vmm=${1:?usage: vmm-cli.sh THATTE_VMM [RUNS]}
runs=${2:-200}
t=$(mktemp -d /tmp/thatte-bench.XXXXXX) || exit 1
trap 'rm -rf "$t"' EXIT
export XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state XDG_CONFIG_HOME=$t/config
mkdir -m 700 "$t/run"
mkdir -p "$t/config/thatte/vms"
printf '[vm]\nname = "bench"\n[boot]\nfirmware = "bios"\n' >"$t/config/thatte/vms/bench.toml"

# mean_us COMMAND...: mean wall time of COMMAND over $runs runs, microseconds.
mean_us() {
        local start end i
        start=$(date +%s%N)
        for ((i = 0; i < runs; i++)); do
                "$@" >/dev/null 2>&1
        done
        end=$(date +%s%N)
        echo $(((end - start) / runs / 1000))
}

truebin=$(type -P true)
mean_us "$truebin" >/dev/null   # warm-up: caches, CPU frequency
# The reference is measured before and after the verbs, and averaged, since
# the machine may be shared.
ref1=$(mean_us "$truebin")
results=()
for verb in "cmdline bench --accel tcg" "status bench" "list"; do
        # shellcheck disable=SC2086
        results+=("${verb%% *} $(mean_us "$vmm" $verb)")
done
ref=$(( (ref1 + $(mean_us "$truebin")) / 2 ))
echo "reference: $truebin ${ref} us per run ($runs runs)"
for line in "${results[@]}"; do
        verb=${line% *} us=${line#* }
        awk -v v="${verb%% *}" -v us="$us" -v ref="$ref" 'BEGIN {
                printf "thatte-vmm %-8s %6.2f ms  %5.1f x true  (%s 5 ms target)\n",
                       v, us / 1000, us / (ref > 0 ? ref : 1), us < 5000 ? "under" : "OVER" }'
done
