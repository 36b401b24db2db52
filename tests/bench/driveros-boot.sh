#!/bin/bash
# tests/bench/driveros-boot.sh: DriverOS figures, each against a reference
# measured in the same run (nothing is asserted):
#   - boot to ready: QEMU start -> "thatte-init: ready" of the initramfs
#     image, against the floor: the same kernel and QEMU with an init that
#     prints a marker and nothing else (goal: <= 1.25x the floor);
#   - with THATTE_BENCH_DISK=1 (root; minutes): the disk image, QEMU start
#     -> the compositor marker through systemd, against the seed's 22 s;
#   - build time with a cold cache (download included) and a warm one;
#   - sizes of initrd.img and vmlinuz (target: initrd under 12 MiB);
#   - the THATTE kernel (--kernel=thatte; THATTE_BENCH_KERNEL=0 skips it):
#     its build from a cold cache (a fresh one: download, unpack, configure,
#     build) and a warm one, the image's boot to the compositor's marker
#     and the kernel's own empty-init floor, both against Debian's floor
#     (goal: image <= 0.3x), the sizes, and the boot choices measured: the
#     PVH vmlinux against the bzImage, q35 against pc; with
#     THATTE_BENCH_DISK=1 its disk image too, with systemd-analyze's view;
#     THATTE_BENCH_KERNEL_CACHE=DIR takes the kernel from DIR's cache
#     (no cold build).
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

# Its figures have kept two decimals; the other benchmarks show three.
ratio_decimals=2

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
# kernel_floor_boot KERNEL [MACHINE]: KERNEL with the floor initramfs.
kernel_floor_boot() {
        qemu_start -machine "${2:-q35}" -m 512 -smp 2 -device virtio-gpu-pci \
                -kernel "$1" -initrd "$scratch/floor.img" \
                -append "$(drv_profile_value "$scratch/img" cmdline)"
}
floor_boot() { kernel_floor_boot "$scratch/img/vmlinuz"; }

floor_times= image_times=
for ((i = 0; i < runs; i++)); do
        floor_times+="$(ready='driveros-floor: up' boot_time floor_boot) "
        image_times+="$(ready='thatte-init: ready' boot_time drv_boot_direct "$scratch/img") "
done
floor=$(printf '%s\n' $floor_times | median)
image=$(printf '%s\n' $image_times | median)
echo "driveros-boot: initramfs ready $image s, floor $floor s: $(ratio "$image" "$floor")x the floor (goal <= 1.25; accel ${THATTE_TEST_ACCEL:-tcg}, median of $runs: image $image_times/ floor $floor_times)"

# median_of N COMMAND...: the median of N boot times of COMMAND ($ready).
median_of() {
        local n=$1 times= i
        shift
        for ((i = 0; i < n; i++)); do
                times+="$(boot_time "$@") "
        done
        printf '%s\n' $times | median
}

if [ "${THATTE_BENCH_KERNEL:-1}" = 1 ]; then
        require_kernel_build
        # THATTE_BENCH_KERNEL_CACHE: a cache that holds the kernel already
        # (no cold build in this run: minutes saved, one figure fewer).
        kcache=${THATTE_BENCH_KERNEL_CACHE:-$scratch/kcache}
        if [ -z "${THATTE_BENCH_KERNEL_CACHE:-}" ]; then
                drv_cache=$kcache drv_build "$scratch/tcold" -v --kernel=thatte || bail_out "THATTE kernel build failed"
                kcold=$drv_build_seconds
                phases=$(grep -a 'kernel: ' "$scratch/make.log" | sed 's/^thatte-driveros-make: kernel: //' | tr '\n' ';')
        fi
        drv_cache=$kcache drv_build "$scratch/thatte" --kernel=thatte || bail_out "THATTE warm build failed"
        kwarm=$drv_build_seconds
        if [ -n "${kcold:-}" ]; then
                echo "driveros-kernel-build: cold cache $kcold s, warm cache $kwarm s on $(nproc) cores (warm/cold $(ratio "$kwarm" "$kcold"); $phases)"
        else
                echo "driveros-kernel-build: warm cache $kwarm s (cold not measured: THATTE_BENCH_KERNEL_CACHE=$kcache)"
        fi
        key=$(sed -n 's/^# kernel-build: //p' "$scratch/thatte/MANIFEST")
        tinitrd=$(stat -c %s "$scratch/thatte/initrd.img")
        tkernel=$(stat -c %s "$scratch/thatte/vmlinuz")
        tbz=$(stat -c %s "$kcache/kernel/$key/bzImage")
        echo "driveros-kernel-size: initrd.img $(ratio "$tinitrd" 1048576) MiB ($(ratio "$tinitrd" 2097152)x the 2 MiB goal), vmlinux (booted, PVH) $(ratio "$tkernel" 1048576) MiB, bzImage $(ratio "$tbz" 1048576) MiB"
        timage= tfloor= dfloor=
        for ((i = 0; i < runs; i++)); do
                dfloor+="$(ready='driveros-floor: up' boot_time floor_boot) "
                tfloor+="$(ready='driveros-floor: up' boot_time kernel_floor_boot "$scratch/thatte/vmlinuz") "
                timage+="$(ready='thatte-compositor: (drm|fbdev)' boot_time drv_boot_direct "$scratch/thatte") "
        done
        dfloor_m=$(printf '%s\n' $dfloor | median)
        tfloor_m=$(printf '%s\n' $tfloor | median)
        timage_m=$(printf '%s\n' $timage | median)
        echo "driveros-kernel-boot: THATTE image compositor up $timage_m s, Debian floor $dfloor_m s: $(ratio "$timage_m" "$dfloor_m")x the floor (goal <= 0.3; median of $runs: image $timage/ Debian floor $dfloor)"
        echo "driveros-kernel-floor: THATTE kernel, empty init $tfloor_m s: $(ratio "$tfloor_m" "$dfloor_m")x Debian's floor (the kernel's share; runs $tfloor)"
        bz=$(ready='driveros-floor: up' median_of "$runs" kernel_floor_boot "$kcache/kernel/$key/bzImage")
        pc=$(ready='driveros-floor: up' median_of "$runs" kernel_floor_boot "$scratch/thatte/vmlinuz" pc)
        echo "driveros-kernel-choice: empty init on the THATTE kernel: PVH vmlinux (q35) $tfloor_m s, bzImage $bz s ($(ratio "$bz" "$tfloor_m")x), machine pc $pc s ($(ratio "$pc" "$tfloor_m")x)"
fi

if [ "${THATTE_BENCH_DISK:-0}" = 1 ]; then
        [ "$(id -u)" = 0 ] || bail_out "THATTE_BENCH_DISK=1 needs root"
        drv_build "$scratch/disk" --mode disk || bail_out "disk build failed"
        echo "driveros-build: disk mode $drv_build_seconds s (debootstrap cache $drv_cache/debootstrap)"
        disk_boot() {
                qemu_start -machine q35 -m 1024 -smp 2 -device virtio-gpu-pci \
                        -kernel "$scratch/disk/vmlinuz" -initrd "$scratch/disk/initrd.img" \
                        -append "$(drv_profile_value "$scratch/disk" cmdline)${disk_append:+ $disk_append}" \
                        -drive "if=virtio,format=raw,snapshot=on,file=$(qemu_opt_escape "$scratch/disk/rootfs.ext4")"
        }
        disk=$(ready='thatte-compositor: (drm|fbdev)' boot_time disk_boot)
        echo "driveros-boot: disk image compositor up $disk s: $(ratio "$disk" 22)x the seed's 22 s, $(ratio "$disk" "$floor")x the floor"
        if [ "${THATTE_BENCH_KERNEL:-1}" = 1 ]; then
                drv_cache=$kcache drv_build "$scratch/disk" --mode disk --kernel=thatte ||
                        bail_out "disk build with the THATTE kernel failed"
                tdisk=$(ready='thatte-compositor: (drm|fbdev)' median_of "$runs" disk_boot)
                echo "driveros-kernel-disk: THATTE kernel disk image compositor up $tdisk s (goal <= 8 s): $(ratio "$tdisk" 22)x the seed's full-Debian 22 s"
                # systemd's own account, printed by thatte-analyze.service.
                disk_append=thatte.analyze ready='thatte-analyze: done' boot_time disk_boot >/dev/null
                sed -n '/Startup finished/,/thatte-analyze: done/p' "$serial_log" | tr -d '\r' |
                        grep -v 'thatte-analyze: done' | sed 's/^/driveros-kernel-disk-analyze: /'
        fi
fi
