#!/bin/bash
# tests/bench/mk-driveros.sh: DriverOS under thatte-mk against DriverOS
# booted by QEMU itself, same image, same run (nothing is asserted):
# QEMU start -> the compositor's first line (`thatte-compositor:`), the
# median of THATTE_BENCH_RUNS boots each (default 3), under TCG:
#   - under thatte-mk: the direct boot of a `thatte-mkboot --direct` bundle
#     (root task, Debian's vmlinuz and the initramfs of thatte-driveros-make,
#     the image's own command line as --system packs it), `-cpu max`,
#     DriverOS as thatte-kvmm's guest painting the handed-over framebuffer;
#   - the reference: drv_boot_direct, the image's own profile (q35, 512 MiB,
#     2 CPUs, virtio-gpu) by QEMU -kernel (goal of issue 18: <= 2.0x).
# Also the VM exits by reason of the last thatte-mk boot at the marker.
# Run from a build tree: top_builddir=$PWD bash tests/bench/mk-driveros.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../boot/chain-inputs.sh"
. "$here/../driveros/lib-driveros.sh"

runs=${THATTE_BENCH_RUNS:-3}
require_driveros
require_tool "$QEMU"
[ -f "$kernel" ] && [ -f "$root" ] && [ -x "$mkboot" ] || bail_out "thatte-mk, the root task or thatte-mkboot not built"
export THATTE_DRIVEROS_CACHE=$drv_cache
ratio_decimals=2

drv_build "$scratch/img" || bail_out "thatte-driveros-make could not build the DriverOS image"
"$mkboot" --direct -o "$scratch/bundle.cpio" --root "$root" --guest-kernel "$scratch/img/vmlinuz" \
        --guest-initrd "$scratch/img/initrd.img" \
        --guest-cmdline "$(drv_profile_value "$scratch/img" cmdline)" \
        >"$scratch/mkboot.log" 2>&1 || { diag_file "$scratch/mkboot.log"; bail_out "no bundle"; }

# boot_time REGEX ARGS...: seconds from QEMU start to REGEX (0 on timeout).
boot_time() {
        local re=$1
        shift
        "$@"
        wait_for_line "$serial_log" "$re" 600 || { qemu_stop; echo 0; return 1; }
        seconds_since "$qemu_started_at"
        qemu_stop
}
mk_boot() {
        qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio"
}

mk_times= ref_times= exits= interrupts=
for ((i = 0; i < runs; i++)); do
        mk_times+="$(boot_time '^driveros: thatte-compositor:' mk_boot) "
        exits=$(grep -a '^thatte-kvmm: exits' "$serial_log" | tail -1)
        interrupts=$(grep -a '^thatte-kvmm: interrupts' "$serial_log" | tail -1)
        ref_times+="$(boot_time 'thatte-compositor:' drv_boot_direct "$scratch/img") "
done
mk=$(printf '%s\n' $mk_times | median)
ref=$(printf '%s\n' $ref_times | median)
echo "mk-driveros: QEMU start to the compositor's line under thatte-mk $mk s, DriverOS by QEMU alone $ref s: $(ratio "$mk" "$ref")x (goal <= 2.0; accel ${THATTE_TEST_ACCEL:-tcg}, median of $runs: thatte-mk $mk_times/ alone $ref_times)"
echo "mk-driveros: VM exits of the last thatte-mk boot, at the marker or the last report before it: ${exits#thatte-kvmm: }"
echo "mk-driveros: ${interrupts#thatte-kvmm: }"
