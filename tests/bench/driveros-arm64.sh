#!/bin/bash
# tests/bench/driveros-arm64.sh: DriverOS arm64 against x86-64, measured in
# the same run (nothing is asserted): both images built from Debian's
# kernels with the same tool, each booted through thatte-vmm under TCG
# (qemu-system-aarch64 virt with its default CPU for the profile, and
# qemu-system-x86_64 q35), seconds from `thatte-vmm start` to
# "thatte-init: ready" (the compositor's picture is up then); the median
# of THATTE_BENCH_RUNS boots (default 3) each, printed as arm64/x86-64.
# Run from a build tree configured with the arm64 guest programs:
#   top_builddir=$PWD bash tests/bench/driveros-arm64.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../driveros/lib-driveros.sh"

runs=${THATTE_BENCH_RUNS:-3}
arm_compositor=${top_builddir:+$top_builddir/arm64/thatte-compositor}
arm_init=${top_builddir:+$top_builddir/arm64/thatte-init}
require_driveros
require_vmm
require_tool qemu-system-aarch64 qemu-system-x86_64
[ -x "$arm_compositor" ] && [ -x "$arm_init" ] || bail_out "no arm64 guest programs in $top_builddir/arm64"

drv_build "$scratch/x86" || bail_out "x86-64 build failed"
drv_compositor=$arm_compositor drv_init=$arm_init drv_build "$scratch/arm" --arch arm64 ||
        bail_out "arm64 build failed"

# ready_time DIR: seconds from thatte-vmm start to thatte-init's marker.
ready_time() {
        drv_vmm_start "$1" || { echo 0; return 1; }
        wait_for_line "$serial_log" "thatte-init: ready" 400 || { "$drv_vmm" kill driveros >/dev/null 2>&1; echo 0; return 1; }
        seconds_since "$qemu_started_at"
        "$drv_vmm" kill driveros >/dev/null 2>&1
        kill "$drv_tail_pid" 2>/dev/null
        drv_tail_pid=
}

x86_times= arm_times=
for ((i = 0; i < runs; i++)); do
        x86_times+="$(ready_time "$scratch/x86") "
        arm_times+="$(ready_time "$scratch/arm") "
done
x86=$(printf '%s\n' $x86_times | median)
arm=$(printf '%s\n' $arm_times | median)
echo "driveros-arm64: ready after $arm s on arm64, $x86 s on x86-64: $(ratio "$arm" "$x86")x (TCG, median of $runs: arm64 $arm_times/ x86-64 $x86_times)"
