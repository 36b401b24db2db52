#!/bin/bash
# tests/driveros/lib-driveros.sh: shared code for the DriverOS integration
# tests, on top of tests/integration/lib.sh (sourced first by each test).
#
# Gives: $drv_make, $drv_compositor, $drv_init (programs under test, from
# the build tree or THATTE_DRIVEROS_MAKE / THATTE_COMPOSITOR / THATTE_INIT),
# $drv_cache (the package cache, shared between runs so the kernel is
# downloaded once: THATTE_DRIVEROS_CACHE, else the program's default),
# require_driveros (skips when apt cannot reach an archive or a program is
# missing), drv_build DIR ARG... (runs thatte-driveros-make, timing it into
# $drv_build_seconds), drv_boot_direct DIR (plain QEMU as the image's
# profile describes it, for the benchmark), and require_vmm,
# drv_vmm_start DIR, drv_vmm_check_boot NAME (through thatte-vmm).

drv_make=${THATTE_DRIVEROS_MAKE:-${top_builddir:+$top_builddir/thatte-driveros-make}}
drv_compositor=${THATTE_COMPOSITOR:-${top_builddir:+$top_builddir/thatte-compositor}}
drv_init=${THATTE_INIT:-${top_builddir:+$top_builddir/thatte-init}}
drv_cache=${THATTE_DRIVEROS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thatte/driveros}
# The THATTE kernel's fragment: the source tree's, not an installed one.
export THATTE_DRIVEROS_DATA=${THATTE_DRIVEROS_DATA:-${top_srcdir:+$top_srcdir/data/driveros}}
# A fixed epoch: every build in the tests must be reproducible.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
# The kernel fragment a user kept with --menuconfig must not reach the tests.
export XDG_CONFIG_HOME=$scratch/config

require_driveros() {
        [ -x "$drv_make" ] || bail_out "thatte-driveros-make not built: set top_builddir or THATTE_DRIVEROS_MAKE"
        [ -x "$drv_init" ] || bail_out "thatte-init not built: set top_builddir or THATTE_INIT"
        [ -x "$drv_compositor" ] ||
                skip_all "no thatte-compositor at $drv_compositor (configure with the compositor, or set THATTE_COMPOSITOR)"
        PATH=$PATH:/usr/sbin:/sbin require_tool apt-get apt-cache dpkg-deb depmod cpio
        apt-cache show --no-all-versions linux-image-amd64 >/dev/null 2>&1 ||
                skip_all "apt knows no linux-image-amd64 (no Debian archive configured)"
}

# require_kernel_build: what --kernel=thatte needs: the compiler and the
# kernel's build tools, and apt knowing its source package.
require_kernel_build() {
        require_tool gcc make bc bison flex perl tar xz
        [ -e /usr/include/gelf.h ] || skip_all "no libelf headers (objtool needs libelf-dev)"
        apt-cache show --no-all-versions linux-source-6.1 >/dev/null 2>&1 ||
                skip_all "apt knows no linux-source-6.1 (no Debian archive configured)"
}

# drv_build DIR ARG...: builds an image into DIR; its messages go to
# $scratch/make.log. Sets drv_build_seconds. The VM is named $drv_name
# (default driveros, as the tests expect; empty: after DIR, the tool's own
# default).
drv_build() {
        local dir=$1 start status name=()
        shift
        [ -z "${drv_name-driveros}" ] || name=(--name "${drv_name-driveros}")
        start=$(date +%s.%N)
        "$drv_make" --cache "$drv_cache" ${drv_compositor:+--compositor "$drv_compositor"} \
                ${drv_init:+--init "$drv_init"} \
                -o "$dir" "${name[@]}" "$@" >"$scratch/make.log" 2>&1
        status=$?
        drv_build_seconds=$(seconds_since "$start")
        [ $status = 0 ] || diag_file "$scratch/make.log"
        return $status
}

# drv_profile_value DIR KEY: a string value of the image's driveros.toml.
drv_profile_value() {
        sed -n "s/^$2 = \"\\([^\"]*\\)\".*/\\1/p" "$1/driveros.toml" | head -n 1
}

# drv_boot_direct DIR: QEMU boots DIR's kernel and initrd as driveros.toml
# says, with virtio-gpu.
drv_boot_direct() {
        qemu_start -machine q35 -m 512 -smp 2 -device virtio-gpu-pci \
                -kernel "$1/vmlinuz" -initrd "$1/initrd.img" \
                -append "$(drv_profile_value "$1" cmdline)" "${@:2}"
}

# ---------------------------------------------------------------- thatte-vmm

drv_vmm=${THATTE_VMM:-${top_builddir:+$top_builddir/vmm/thatte-vmm}}
drv_tail_pid=

# require_vmm: thatte-vmm must be built; its runtime and state folders go
# to $scratch so tests never meet a user's VM of the same name.
require_vmm() {
        [ -x "$drv_vmm" ] || skip_all "no thatte-vmm at $drv_vmm (configure with the vmm, or set THATTE_VMM)"
        export XDG_RUNTIME_DIR=$scratch/run XDG_STATE_HOME=$scratch/state
        mkdir -p -m 0700 "$XDG_RUNTIME_DIR" "$XDG_STATE_HOME"
        unset DISPLAY WAYLAND_DISPLAY   # no window on the tester's screen
        trap drv_cleanup EXIT
}

drv_cleanup() {
        "$drv_vmm" kill driveros >/dev/null 2>&1
        [ -z "$drv_tail_pid" ] || kill "$drv_tail_pid" 2>/dev/null
        lib_cleanup
}

# drv_vmm_start DIR: `thatte-vmm start DIR/driveros.toml` (TCG unless
# THATTE_TEST_ACCEL); the serial log is copied to $serial_log as it grows,
# since thatte-vmm removes its runtime folder when the VM stops.
drv_vmm_start() {
        local log=$XDG_RUNTIME_DIR/thatte-vmm/driveros/serial.log
        qemu_started_at=$(date +%s.%N)
        "$drv_vmm" start --accel="${THATTE_TEST_ACCEL:-tcg}" "$1/driveros.toml" >"$qemu_log" 2>&1 ||
                return 1
        tail -n +1 -f "$log" >"$serial_log" 2>/dev/null &
        drv_tail_pid=$!
}

# drv_vmm_check_boot NAME: waits for the ready marker ($drv_ready, default
# thatte-init's), checks the compositor marker, takes a thatte-vmm
# screenshot and compares it with the gradient, then `thatte-vmm stop` must
# end the VM through the guest's power-off ($drv_poweroff on serial).
# 5 test points.
drv_vmm_check_boot() {
        local name=$1 marker='thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+' size status
        wait_for_line "$serial_log" "${drv_ready:-thatte-init: ready}" "${drv_marker_timeout:-240}"
        status=$?
        if ! check "$name: ready marker on serial" test $status = 0; then
                diag_file "$serial_log"
                diag_file "$qemu_log"
                not_ok "$name: compositor marker" && not_ok "$name: screenshot" &&
                        not_ok "$name: gradient" && not_ok "$name: thatte-vmm stop powers it off"
                return 1
        fi
        diag "$name: ready after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
        check "$name: compositor marker" grep -aqE "$marker" "$serial_log"
        size=$(first_match "$serial_log" "$marker")
        size=${size##* }
        if check "$name: screenshot" "$drv_vmm" screenshot driveros -o "$scratch/screen.ppm"; then
                check "$name: gradient" gradient_check --expect-size "$size" "$scratch/screen.ppm"
        else
                not_ok "$name: gradient"
        fi
        "$drv_vmm" stop driveros >>"$qemu_log" 2>&1
        status=$?
        sleep 1         # the copy of the serial log catches up
        if [ $status = 0 ] && grep -aqE "${drv_poweroff:-thatte-init: powering off}" "$serial_log"; then
                ok "$name: thatte-vmm stop powers it off"
        else
                not_ok "$name: thatte-vmm stop powers it off"
                diag_file "$serial_log" 10
                diag_file "$qemu_log" 10
        fi
}

# drv_path_mkesp: puts thatte-mkesp (--uki and --iso run it) first in PATH:
# THATTE_MKESP_DIR's, else the build tree's.
drv_path_mkesp() {
        local dir=${THATTE_MKESP_DIR:-${top_builddir:+$top_builddir/efi}}
        [ -z "$dir" ] || PATH=$dir:$PATH
}
