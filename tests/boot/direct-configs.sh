#!/bin/bash
# direct-configs.sh: the direct boot (QEMU -kernel, PVH) on a spread of
# the configurations a user may give QEMU: 128 MiB to 5 GiB (memory above
# 4 GiB), 1 to 4 CPUs (the others stay parked), the pc and q35 machines,
# qemu64 (no SMEP, SMAP, 1 GiB pages) and max (all of them). Each must
# reach "thatte-root: ready".
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=120
require_direct

configs=(
        "pc 128M 1 qemu64"
        "q35 128M 1 max"
        "pc 5G 4 max"
        "q35 5G 4 qemu64"
        "q35 1G 2 max"
        "pc 3G 3 qemu64"
)
plan $((${#configs[@]} + 1))

for c in "${configs[@]}"; do
        read -r machine mem cpus cpu <<<"$c"
        direct_start -machine "$machine" -m "$mem" -smp "$cpus" -cpu "$cpu"
        direct_wait "$marker_timeout"
        if ! check "ready on -machine $machine -m $mem -smp $cpus -cpu $cpu" test $? = 0; then
                diag_file "$serial_log" 20
                diag_file "$qemu_log" 5
        elif [ "$cpus" -gt 1 ]; then
                grep -aq "$cpus CPUs: the others stay parked" "$serial_log" || parked_missing=$c
        fi
        qemu_stop
done
check "extra CPUs reported parked${parked_missing:+ (not on $parked_missing)}" test -z "${parked_missing:-}"
finish
