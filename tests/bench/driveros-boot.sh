#!/bin/bash
# tests/bench/driveros-boot.sh: DriverOS figures, each against a reference
# measured in the same run (nothing is asserted):
#   - boot to ready: QEMU start -> "thatte-init: ready" of the initramfs
#     image, against the floor: the same kernel and QEMU with an init that
#     prints a marker and nothing else (goal: <= 1.25x the floor);
#   - with THATTE_BENCH_DISK=1 (root; minutes): the disk image, QEMU start
#     -> the compositor marker through systemd, against the seed's 22 s;
#   - build time with a cold cache (download included) and a warm one;
#   - sizes of initrd.img and vmlinuz (target: initrd under 12 MiB).
# Run from a build tree: top_builddir=$PWD bash tests/bench/driveros-boot.sh
# THATTE_BENCH_RUNS boots per image (default 3; the median is reported).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../driveros/lib-driveros.sh"

runs=${THATTE_BENCH_RUNS:-3}
floor_init=${top_builddir:+$top_builddir/tests/bench/driveros-floor-init}
require_driveros
require_tool "$QEMU" cpio
[ -x "$floor_init" ] || bail_out "tests/bench/driveros-floor-init not built (make check builds it)"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# boot_time ARGS...: seconds from QEMU start to the ready line ($ready).
boot_time() {
        "$@"
        wait_for_line "$serial_log" "$ready" 400 || { qemu_stop; echo 0; return 1; }
        seconds_since "$qemu_started_at"
        qemu_stop
}

# Build: cold (a fresh cache) then warm (the same cache).
cold_cache=$scratch/cache
drv_cache=$cold_cache drv_build "$scratch/cold" || bail_out "cold build failed"
cold=$drv_build_seconds
drv_cache=$cold_cache drv_build "$scratch/img" || bail_out "warm build failed"
warm=$drv_build_seconds
echo "driveros-build: cold cache $cold s, warm cache $warm s (warm/cold $(ratio "$warm" "$cold"))"

initrd=$(stat -c %s "$scratch/img/initrd.img")
kernel=$(stat -c %s "$scratch/img/vmlinuz")
echo "driveros-size: initrd.img $(ratio "$initrd" 1048576) MiB ($(ratio "$initrd" $((12 * 1048576)))x the 12 MiB target), vmlinuz $(ratio "$kernel" 1048576) MiB"

# The floor initramfs: just its init.
mkdir -p "$scratch/floor" && cp -- "$floor_init" "$scratch/floor/init"
(cd "$scratch/floor" && echo init | cpio -o -H newc --quiet >"$scratch/floor.img") ||
        bail_out "cannot pack the floor initramfs"
floor_boot() {
        qemu_start -machine q35 -m 512 -smp 2 -device virtio-gpu-pci \
                -kernel "$scratch/img/vmlinuz" -initrd "$scratch/floor.img" \
                -append "$(drv_profile_value "$scratch/img" cmdline)"
}

floor_times= image_times=
for ((i = 0; i < runs; i++)); do
        floor_times+="$(ready='driveros-floor: up' boot_time floor_boot) "
        image_times+="$(ready='thatte-init: ready' boot_time drv_boot_direct "$scratch/img") "
done
floor=$(printf '%s\n' $floor_times | median)
image=$(printf '%s\n' $image_times | median)
echo "driveros-boot: initramfs ready $image s, floor $floor s: $(ratio "$image" "$floor")x the floor (goal <= 1.25; accel ${THATTE_TEST_ACCEL:-tcg}, median of $runs: image $image_times/ floor $floor_times)"

if [ "${THATTE_BENCH_DISK:-0}" = 1 ]; then
        [ "$(id -u)" = 0 ] || bail_out "THATTE_BENCH_DISK=1 needs root"
        drv_build "$scratch/disk" --mode disk || bail_out "disk build failed"
        echo "driveros-build: disk mode $drv_build_seconds s (debootstrap cache $drv_cache/debootstrap)"
        disk_boot() {
                qemu_start -machine q35 -m 1024 -smp 2 -device virtio-gpu-pci \
                        -kernel "$scratch/disk/vmlinuz" -initrd "$scratch/disk/initrd.img" \
                        -append "$(drv_profile_value "$scratch/disk" cmdline)" \
                        -drive "if=virtio,format=raw,snapshot=on,file=$(qemu_opt_escape "$scratch/disk/rootfs.ext4")"
        }
        disk=$(ready='thatte-compositor: (drm|fbdev)' boot_time disk_boot)
        echo "driveros-boot: disk image compositor up $disk s: $(ratio "$disk" 22)x the seed's 22 s, $(ratio "$disk" "$floor")x the floor"
fi
