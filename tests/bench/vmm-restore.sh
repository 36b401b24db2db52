#!/bin/bash
# tests/bench/vmm-restore.sh: restoring a booted DriverOS against booting it,
# measured in one run (nothing is asserted). Per round: `thatte-vmm start`
# -> "thatte-init: ready" (boot), `save`, then `restore` until it returns
# with the guest running again (restore); the figure is restore/boot, the
# medians of THATTE_BENCH_RUNS rounds (default 3). TCG unless
# THATTE_TEST_ACCEL. Run from a build tree:
#     make bench-restore      (or: top_builddir=$PWD bash tests/bench/vmm-restore.sh)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../driveros/lib-driveros.sh"

runs=${THATTE_BENCH_RUNS:-3}
accel=${THATTE_TEST_ACCEL:-tcg}
require_driveros
require_tool "$QEMU"
require_vmm

drv_build "$scratch/img" || bail_out "image build failed"
log=$XDG_RUNTIME_DIR/thatte-vmm/driveros/serial.log
for ((i = 0; i < runs; i++)); do
        start=$(date +%s.%N)
        "$drv_vmm" start --accel="$accel" "$scratch/img/driveros.toml" >/dev/null || bail_out "start failed"
        wait_for_line "$log" "thatte-init: ready" 400 || bail_out "no ready marker"
        seconds_since "$start" >>"$scratch/boot"
        "$drv_vmm" save driveros "$scratch/saved.state" || bail_out "save failed"
        start=$(date +%s.%N)
        "$drv_vmm" restore "$scratch/saved.state" || bail_out "restore failed"
        # seconds_since has one decimal; restores take less than a second.
        awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", e - s }' >>"$scratch/restore"
        "$drv_vmm" stop driveros >/dev/null || bail_out "stop failed"
done
boot=$(median <"$scratch/boot")
restore=$(median <"$scratch/restore")
size=$(stat -c %s "$scratch/saved.state")
echo "vmm-restore: restore of a booted DriverOS $restore s against booting it $boot s" \
        "(restore/boot $(ratio "$restore" "$boot"); accel $accel; state file $(ratio "$size" 1048576) MiB;" \
        "median of $runs)"
