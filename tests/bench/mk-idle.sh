#!/bin/bash
# tests/bench/mk-idle.sh: what an idle DriverOS under thatte-mk costs the
# host, against the same DriverOS image idle under QEMU alone in the same
# run (nothing is asserted). Each machine boots to the compositor's first
# line, is left THATTE_BENCH_SETTLE seconds (default 10) to finish its
# boot, then QEMU's CPU time (user + system, /proc/PID/stat) is read
# across THATTE_BENCH_IDLE seconds (default 20) of wall time: the CPU
# share of a machine where nothing happens. Under TCG a spinning guest or
# VMM thread keeps QEMU at 1.0; halted CPUs let it sleep.
#   - under thatte-mk: the `thatte-mkboot --direct` bundle, `-cpu max`,
#     as tests/bench/mk-driveros.sh boots it;
#   - before (optional): the same with the kernel and root task of another
#     build tree, THATTE_BENCH_BEFORE_BUILD (e.g. the tree before the
#     kernel had deadlines, whose VMM's timer thread spun on yield);
#   - the reference: drv_boot_direct, the image's own profile.
# Then, contention on a shared host aside, the instructions the whole
# machine executes per second of idle under thatte-mk: one more boot with
# `-icount shift=0` (a TSC tick is an instruction while the CPU runs,
# virtual time follows real time while it halts) and thatte.bench=idle,
# whose root task prints the kernel's idle clock every 5 s
# (`thatte-root: idle I of T clock ticks`): over 4 such lines after the
# settle time, (1 - dI/dT) * 10^9 instructions a second.
# Run from a build tree: top_builddir=$PWD bash tests/bench/mk-idle.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../boot/chain-inputs.sh"
. "$here/../driveros/lib-driveros.sh"

settle=${THATTE_BENCH_SETTLE:-10}
window=${THATTE_BENCH_IDLE:-20}
before=${THATTE_BENCH_BEFORE_BUILD:-}
require_driveros
require_tool "$QEMU"
[ -f "$kernel" ] && [ -f "$root" ] && [ -x "$mkboot" ] || bail_out "thatte-mk, the root task or thatte-mkboot not built"
if [ -n "$before" ] && { [ ! -f "$before/kernel/thatte-mk.elf" ] ||
                         [ ! -f "$before/kernel/root/thatte-root.elf" ]; }; then
        bail_out "no kernel/thatte-mk.elf and kernel/root/thatte-root.elf in $before"
fi
export THATTE_DRIVEROS_CACHE=$drv_cache
ratio_decimals=3

drv_build "$scratch/img" || bail_out "thatte-driveros-make could not build the DriverOS image"

# bundle ROOT OUT: the direct bundle with root task ROOT.
bundle() {
        "$mkboot" --direct -o "$2" --root "$1" --guest-kernel "$scratch/img/vmlinuz" \
                --guest-initrd "$scratch/img/initrd.img" \
                --guest-cmdline "$(drv_profile_value "$scratch/img" cmdline)" \
                >"$scratch/mkboot.log" 2>&1 || { diag_file "$scratch/mkboot.log"; bail_out "no bundle"; }
}

# cpu_ticks PID: user + system time of PID in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# idle_share REGEX ARGS...: boot with ARGS, wait for REGEX, settle, and
# print QEMU's CPU seconds per wall second over the window (empty on a
# timeout).
idle_share() {
        local re=$1 t0 c0 c1 t1
        shift
        "$@"
        if ! wait_for_line "$serial_log" "$re" 900; then
                qemu_stop
                return 1
        fi
        sleep "$settle"
        t0=$(date +%s.%N) c0=$(cpu_ticks "$qemu_pid")
        sleep "$window"
        t1=$(date +%s.%N) c1=$(cpu_ticks "$qemu_pid")
        qemu_stop
        awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v a="$t0" -v b="$t1" \
                'BEGIN { printf "%.3f\n", c / hz / (b - a) }'
}
mk_boot() {
        qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$1" -initrd "$2" "${@:3}"
}

# idle_instructions: the icount boot; prints instructions per second of
# idle and the busy share, or fails.
idle_instructions() {
        local first last
        mk_boot "$kernel" "$scratch/bundle.cpio" -icount shift=0 -append thatte.bench=idle
        wait_for_line "$serial_log" '^driveros: thatte-compositor:' 900 || { qemu_stop; return 1; }
        sleep "$settle"
        first=$(($(grep -ac '^thatte-root: idle ' "$serial_log") + 1))
        wait_for_line "$serial_log" "^thatte-root: idle .*" 300 || { qemu_stop; return 1; }
        while [ "$(grep -ac '^thatte-root: idle ' "$serial_log")" -lt $((first + 4)) ]; do
                qemu_alive || return 1
                sleep 1
        done
        qemu_stop
        grep -a '^thatte-root: idle ' "$serial_log" | sed -n "${first}p;$((first + 4))p" |
                awk '{ i[NR] = $3; t[NR] = $5 } END {
                        b = 1 - (i[2] - i[1]) / (t[2] - t[1]);
                        printf "%.0f %.4f\n", b * 1e9, b }'
}

bundle "$root" "$scratch/bundle.cpio"
mk=$(idle_share '^driveros: thatte-compositor:' mk_boot "$kernel" "$scratch/bundle.cpio") ||
        bail_out "thatte-mk: no compositor line"
ref=$(idle_share 'thatte-compositor:' drv_boot_direct "$scratch/img") ||
        bail_out "QEMU alone: no compositor line"
echo "mk-idle: idle DriverOS, QEMU's CPU share over $window s after the compositor's line + $settle s: under thatte-mk $mk, DriverOS by QEMU alone $ref: $(ratio "$mk" "$ref")x (accel ${THATTE_TEST_ACCEL:-tcg})"
set -- $(idle_instructions) || true
if [ -n "${2:-}" ]; then
        echo "mk-idle: idle DriverOS under thatte-mk, -icount shift=0: $1 instructions per second of idle (the CPU busy $2 of the time; the rest in HLT)"
else
        echo "mk-idle: the -icount boot gave no idle lines"
fi
if [ -n "$before" ]; then
        bundle "$before/kernel/root/thatte-root.elf" "$scratch/before.cpio"
        old=$(idle_share '^driveros: thatte-compositor:' mk_boot "$before/kernel/thatte-mk.elf" \
                "$scratch/before.cpio") || bail_out "before: no compositor line"
        echo "mk-idle: the same under the kernel and root task of $before: $old, $(ratio "$old" "$ref")x QEMU alone; now/before $(ratio "$mk" "$old")x"
fi
