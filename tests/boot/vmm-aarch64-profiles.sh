#!/bin/bash
# tests/boot/vmm-aarch64-profiles.sh: the shipped aarch64 boot profiles
# through thatte-vmm, headless, under TCG (an x86-64 host cannot run arm64
# guests with KVM). thatte-mk-aarch64-direct (no firmware, -kernel, the
# command line thatte.stay): `start`, "thatte-root: ready" in serial.log,
# `screenshot` is the default picture at the size the root task painted,
# `stop` leaves no process. thatte-mk-aarch64 (AAVMF, the ESP image with
# BOOTAA64.EFI, acpi = false): `start`, the loader's and the kernel's
# lines, "thatte-root: ready", then the kernel powers the machine off
# and `status` says so, with no QEMU left.
#
# Uses the build tree; THATTE_VMM and THATTE_VMM_PROFILES (a folder holding
# both profiles and the ESP image, e.g. /usr/share/thatte/vms) point it at
# the installed packages instead.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
vmm=${THATTE_VMM:-$top_builddir/vmm/thatte-vmm}
code=${THATTE_AAVMF_CODE:-/usr/share/AAVMF/AAVMF_CODE.fd}
vars=${THATTE_AAVMF_VARS:-/usr/share/AAVMF/AAVMF_VARS.fd}
if [ -n "${THATTE_VMM_PROFILES:-}" ]; then
        vms=$THATTE_VMM_PROFILES
else
        [ -f "$top_builddir/data/vms/thatte-mk-aarch64-esp.img" ] ||
                skip_all "thatte-mk-aarch64-esp.img not built (clang, lld, gcc-aarch64-linux-gnu)"
        # The build tree's profiles name installed paths: point them here.
        vms=$scratch/vms
        mkdir "$vms"
        cp "$top_srcdir/data/vms/thatte-mk-aarch64.toml" "$top_builddir/data/vms/thatte-mk-aarch64-esp.img" \
                "$vms/" || bail_out "cannot copy the aarch64 UEFI profile"
        sed -e "s|^kernel = .*|kernel = \"$top_builddir/kernel/thatte-mk-aarch64.img\"|" \
                "$top_builddir/data/vms/thatte-mk-aarch64-direct.toml" >"$vms/thatte-mk-aarch64-direct.toml" ||
                bail_out "thatte-mk-aarch64-direct.toml not built"
fi
require_tool qemu-system-aarch64
[ -f "$code" ] && [ -f "$vars" ] || skip_all "AAVMF firmware not found (Debian package qemu-efi-aarch64)"
require_helpers
export THATTE_AAVMF_CODE=$code THATTE_AAVMF_VARS=$vars
export XDG_RUNTIME_DIR=$scratch/run XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config
export XDG_CACHE_HOME=$scratch/cache
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY
timeout=${THATTE_AARCH64_TIMEOUT:-300}

trap 'for n in thatte-mk-aarch64 thatte-mk-aarch64-direct; do
        "$vmm" kill "$n" >/dev/null 2>&1
done; lib_cleanup' EXIT

plan 10
name=thatte-mk-aarch64-direct
log=$XDG_RUNTIME_DIR/thatte-vmm/$name/serial.log
check "$name: start" "$vmm" start "$vms/$name.toml" --accel tcg || bail_out "cannot start $name"
check "$name: ready" wait_for_line "$log" '^thatte-root: ready' "$timeout" || diag_file "$log"
check_vmm_root_picture "$vmm" "$name" "$log"
check "$name: stop" "$vmm" stop "$name" --timeout 3

name=thatte-mk-aarch64
log=$XDG_STATE_HOME/thatte-vmm/$name/serial.log
check "$name: start" "$vmm" start "$vms/$name.toml" --accel tcg || bail_out "cannot start $name"
pid=$(cat "$XDG_RUNTIME_DIR/thatte-vmm/$name/pid")
check "$name: ready" wait_for_line "$log" '^thatte-root: ready' "$timeout" || diag_file "$log"
check "$name: the loader entered the Image, the kernel got the device tree" \
        sh -c 'grep -aq "^thatte-boot: exiting boot services" "$1" &&
               grep -aq "^thatte-mk: .*entered at EL1, .*device tree at" "$1"' - "$log"
# The kernel powers off after ready: QEMU ends by itself.
gone() {
        local end=$((SECONDS + 30))
        while [ -d "/proc/$pid" ]; do
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.1
        done
}
check "$name: powered off by the kernel, no QEMU left" gone
check "$name: status says stopped" sh -c '"$1" status "$2" 2>&1 | grep -qiE "stopped|not running"' \
        - "$vmm" "$name"
finish
