#!/bin/bash
# tests/bench/aarch64-boot.sh: the aarch64 direct boot against the x86-64
# one, in the same run (nothing is asserted): QEMU start -> "thatte-root:
# ready" for qemu-system-aarch64 -machine virt -cpu cortex-a53 -kernel of
# the arm64 Image (kernel and its task in one file), and for
# qemu-system-x86_64 q35 -kernel/-initrd of thatte-mk.elf and
# thatte-root.elf (PVH, as boot.sh's direct figure); 256 MiB both, the
# median of THATTE_BENCH_RUNS boots each (default 3), printed as
# aarch64/x86-64.
# Run from a build tree: top_builddir=$PWD bash tests/bench/aarch64-boot.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"

runs=${THATTE_BENCH_RUNS:-3}
b=${top_builddir:?set top_builddir to the build tree}
for f in "$b/kernel/thatte-mk-aarch64.img" "$b/kernel/thatte-mk.elf" "$b/kernel/root/thatte-root.elf"; do
        [ -e "$f" ] || bail_out "$f: not built (run make first, with the aarch64 cross compiler)"
done
require_tool qemu-system-aarch64 qemu-system-x86_64

a64= x86=
for ((i = 0; i < runs; i++)); do
        a64+="$(QEMU=qemu-system-aarch64 time_to '^thatte-root: ready' -- -machine virt -cpu cortex-a53 \
                -m 256 -kernel "$b/kernel/thatte-mk-aarch64.img")" || bail_out "the aarch64 boot did not reach ready"
        x86+="$(QEMU=qemu-system-x86_64 time_to '^thatte-root: ready' -- -machine q35 -m 256 -vga std \
                -kernel "$b/kernel/thatte-mk.elf" -initrd "$b/kernel/root/thatte-root.elf")" ||
                bail_out "the x86-64 boot did not reach ready"
done
a=$(printf '%s\n' $a64 | median)
x=$(printf '%s\n' $x86 | median)
echo "aarch64-boot: QEMU start to thatte-root: ready $a s on aarch64 (virt, cortex-a53), $x s on x86-64 (q35, PVH): $(ratio "$a" "$x")x (${THATTE_TEST_ACCEL:-tcg}, median of $runs: $a64/ $x86)"
