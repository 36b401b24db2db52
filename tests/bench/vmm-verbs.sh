#!/bin/bash
# tests/bench/vmm-verbs.sh THATTE_VMM PROFILE [RUNS]: wall time of every
# thatte-vmm verb a user types, on a real VM (PROFILE, e.g. efi-hello.toml
# with its ESP image beside it, under TCG), each the median of RUNS (3)
# and as a ratio to `true` measured in the same run. Meant to compare two
# builds: run it once per binary, in the same minutes.
vmm=${1:?usage: vmm-verbs.sh THATTE_VMM PROFILE [RUNS]}
profile=${2:?usage: vmm-verbs.sh THATTE_VMM PROFILE [RUNS]}
runs=${3:-3}
t=$(mktemp -d /tmp/thatte-bench.XXXXXX) || exit 1
export XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state XDG_CONFIG_HOME=$t/config XDG_CACHE_HOME=$t/cache
mkdir -m 700 "$t/run"
name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$profile" | head -n 1)
trap '"$vmm" kill "$name" >/dev/null 2>&1; rm -rf "$t"' EXIT

# ms COMMAND...: wall time of one run of COMMAND, milliseconds (3 decimals);
# a command that hangs is ended after 30 s (and shows as 30000 ms).
ms() {
        local s e
        s=$(date +%s%N)
        timeout 30 "$@" >/dev/null 2>&1 </dev/null
        e=$(date +%s%N)
        awk -v d=$((e - s)) 'BEGIN { printf "%.3f\n", d / 1e6 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
truebin=$(type -P true)
ref=$(for _ in $(seq 20); do ms "$truebin"; done | median)
echo "reference: true ${ref} ms (median of 20)"

# row VERB SETUP COMMAND...: SETUP (a shell snippet) before each run, untimed.
row() {
        local verb=$1 setup=$2 i v
        shift 2
        v=$(for ((i = 0; i < runs; i++)); do eval "$setup"; ms "$@"; done | median)
        awk -v n="$verb" -v v="$v" -v r="$ref" 'BEGIN { printf "%-22s %9.1f ms %9.0f x true\n", n, v, v / r }'
}
up() { "$vmm" status "$name" >/dev/null 2>&1 || "$vmm" start "$profile" --accel tcg >/dev/null 2>&1; }
down() { "$vmm" kill "$name" >/dev/null 2>&1; }

row check "" "$vmm" check "$profile"
row cmdline "" "$vmm" cmdline "$profile" --accel tcg
row "doctor (cached)" "$vmm doctor >/dev/null 2>&1" "$vmm" doctor
row "status (stopped)" down "$vmm" status "$name"
row "start --accel tcg" down "$vmm" start "$profile" --accel tcg
row "start (auto)" down "$vmm" start "$profile"
row status up "$vmm" status "$name"
row "status --json" up "$vmm" status "$name" --json
row list up "$vmm" list
row "list --json" up "$vmm" list --json
row "list --all" up "$vmm" list --all
row log up "$vmm" log "$name"
row screenshot up "$vmm" screenshot "$name" -o "$t/s.ppm"
row "events (2nd, refused)" "up; ($vmm events $name >/dev/null 2>&1 &); sleep 0.3" "$vmm" events "$name"
row save "up; rm -f $t/vm.state" "$vmm" save "$name" "$t/vm.state"
row restore "down; [ -e $t/vm.state ] || { up; $vmm save $name $t/vm.state >/dev/null 2>&1; }" \
        "$vmm" restore "$t/vm.state"
row "stop --force" up "$vmm" stop "$name" --force
row kill up "$vmm" kill "$name"
row "snapshot list" down "$vmm" snapshot "$name" list
row "reset (stopped)" down "$vmm" reset "$name"
row "delete (stopped)" "down; up; down" "$vmm" delete "$name"
