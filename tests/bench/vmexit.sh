#!/bin/bash
# tests/bench/vmexit.sh: thatte-mk's VM exit round trip in wall time under
# QEMU's TCG (no -icount: the TSC follows the host clock), against the
# bare VMRUN loop of the same boot. The root task (direct boot, -cpu max)
# times 200 CPUID exits each handled in user space (exit, the VMM adds 2
# to rip, VMEnter) and 200 the kernel answers itself
# (MK_VCPU_STATE_KERNEL_CPUID): the TCG floor (kernel/root/vm.c). Run
# from a build tree:
#   top_builddir=$PWD bash tests/bench/vmexit.sh
# THATTE_BENCH_RUNS: boots to average over (default 3).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../boot/direct-lib.sh"

require_direct
runs=${THATTE_BENCH_RUNS:-3}
re='^thatte-root: vmexit round trip through the VMM [0-9]+ TSC ticks, bare VMRUN loop [0-9]+'
for ((i = 1; i <= runs; i++)); do
        qemu_start -machine pc -m 256 -cpu max -kernel "$kernel" -initrd "$root"
        if ! direct_wait 300; then
                cat "$serial_log" >&2
                bail_out "the boot did not reach thatte-root: ready"
        fi
        line=$(first_match "$serial_log" "$re")
        qemu_stop
        [ -n "$line" ] || bail_out "no vmexit line"
        # shellcheck disable=SC2086 # the words of the line
        set -- $line
        echo "vmexit run $i: round trip ${8} TSC ticks, bare VMRUN loop ${14}"
        trips+=("${8}")
        bares+=("${14}")
done
awk -v t="${trips[*]}" -v b="${bares[*]}" 'BEGIN {
        n = split(t, a, " "); split(b, c, " ")
        for (i = 1; i <= n; i++) { st += a[i]; sb += c[i] }
        printf "vmexit round trip / bare VMRUN loop (wall, TCG, %d boots): %.2f\n", n, st / sb
}'
