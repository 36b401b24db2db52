#!/bin/bash
# tests/bench/kernel-stretch.sh: the longest time thatte-mk keeps the CPU
# with interrupts off under a hostile retype/revoke load, in instructions
# (QEMU -icount shift=0: the TSC counts instructions). The root task, booted
# directly (PVH) with thatte.bench=stretch, retypes the largest Untyped it
# can get into 2 MiB Frames in one call and revokes them, then makes 8192
# endpoints of it and revokes them in one call, then deletes a CNode
# holding 8192 endpoints in one call, deletes a PDPT over 2048 mapped
# frames in one call (and more: see stretch.c), and prints the kernel's
# longest stretch for each (kernel/root/stretch.c), and the most bytes one
# step of a DEBUG_PUT of 40 prefixed lines handed to the UART (on real
# hardware each takes ~87 us at 115200 baud). Reference, same boot:
# the IPC round trip. Run from a build tree:
#   top_builddir=$PWD bash tests/bench/kernel-stretch.sh
# THATTE_BENCH_MEM: guest memory in MiB (default 1024: a 256 MiB Untyped).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../boot/direct-lib.sh"

require_direct
qemu_start -machine pc -m "${THATTE_BENCH_MEM:-1024}" -icount shift=0 \
        -kernel "$kernel" -initrd "$root" -append thatte.bench=stretch
if ! direct_wait 300; then
        cat "$serial_log" >&2
        bail_out "the boot did not reach thatte-root: ready"
fi
ipc=$(first_match "$serial_log" '^thatte-root: ipc round trip [0-9]+')
ipc=${ipc##* }
grep -aoE '^thatte-root: max kernel stretch [0-9]+ \([^)]*\)' "$serial_log" | while read -r _ _ _ _ n rest; do
        echo "kernel-stretch: $n instructions $rest"
        awk -v n="$n" -v i="$ipc" -v w="$rest" \
                'BEGIN { printf "kernel-stretch / ipc round trip (%d): %.1f %s\n", i, n / i, w }'
done
grep -aoE '^thatte-root: max console step [0-9]+ bytes \([^)]*\)' "$serial_log" | while read -r _ _ _ _ n _ rest; do
        echo "kernel-stretch: $n bytes to the UART in one kernel step $rest"
done
