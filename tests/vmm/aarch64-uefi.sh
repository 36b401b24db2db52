#!/bin/bash
# tests/vmm/aarch64-uefi.sh: an arch = "aarch64" VM with real
# qemu-system-aarch64 and AAVMF, under TCG (KVM cannot run arm64 guests on
# an x86-64 host): `start` boots the firmware to its UEFI shell on the
# PL011 serial port and on ramfb, the VM got a private copy of AAVMF's
# variable store, `status --json` says running, `screenshot` shows the
# shell's text (not a blank screen), `stop` leaves no process and no
# runtime file. DriverOS arm64 (tests/driveros/boot-arm64.sh) boots a kernel.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
vmm=${THATTE_VMM:-$top_builddir/vmm/thatte-vmm}
code=${THATTE_AAVMF_CODE:-/usr/share/AAVMF/AAVMF_CODE.fd}
vars=${THATTE_AAVMF_VARS:-/usr/share/AAVMF/AAVMF_VARS.fd}
require_tool qemu-system-aarch64
[ -f "$code" ] && [ -f "$vars" ] || skip_all "AAVMF firmware not found (Debian package qemu-efi-aarch64)"
export THATTE_AAVMF_CODE=$code THATTE_AAVMF_VARS=$vars
export XDG_RUNTIME_DIR=$scratch/run XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config
mkdir -m 700 "$XDG_RUNTIME_DIR"
rundir=$XDG_RUNTIME_DIR/thatte-vmm/armfw
statedir=$XDG_STATE_HOME/thatte-vmm/armfw
printf '[vm]\nname = "armfw"\narch = "aarch64"\nmemory = 256\n[display]\ngpu = "ramfb"\n' >"$scratch/armfw.toml"

vmm_cleanup() {
        "$vmm" kill armfw >/dev/null 2>&1
        lib_cleanup
}
trap vmm_cleanup EXIT

plan 11

check "cmdline names qemu-system-aarch64" grep -q 'qemu-system-aarch64$' <("$vmm" cmdline "$scratch/armfw.toml")
check "start" "$vmm" start "$scratch/armfw.toml" || bail_out "cannot start the VM"
pid=$(cat "$rundir/pid")
check "status --json says running" grep -q '"state":"running"' <<<"$("$vmm" status armfw --json)"
check "private variable store" test "$(stat -c %a "$statedir/AAVMF_VARS.fd")" = 600
check "a whole copy of the template" cmp -s "$vars" "$statedir/AAVMF_VARS.fd"
check "QEMU runs the aarch64 CPU under TCG" grep -qa 'pauth-impdef=on' "/proc/$pid/cmdline"
if ! check "the UEFI shell's prompt on ttyAMA0" wait_for_line "$rundir/serial.log" 'Shell> ' 300; then
        diag_file "$rundir/serial.log"
        diag_file "$rundir/qemu.log"
fi
check "screenshot" "$vmm" screenshot armfw -o "$scratch/screen.ppm"
# The firmware console on ramfb: QEMU's three header lines (P6, W H, 255),
# a raster of exactly W*H*3 bytes, not all black (the shell's text).
ramfb_shows_text() {
        local magic w h max hlen raster
        { read -r magic; read -r w h; read -r max; } <"$1"
        diag "screenshot: $magic ${w}x$h max $max"
        [ "$magic" = P6 ] && [ "$max" = 255 ] && [ "${w:-0}" -gt 0 ] && [ "${h:-0}" -gt 0 ] || return 1
        hlen=$(head -n 3 "$1" | wc -c)
        raster=$(($(stat -c %s "$1") - hlen))
        [ "$raster" -eq $((w * h * 3)) ] || return 1
        ! tail -c "$raster" "$1" | cmp -s - <(head -c "$raster" /dev/zero)
}
check "ramfb shows the firmware's text" ramfb_shows_text "$scratch/screen.ppm"
check "stop" "$vmm" stop armfw --timeout 10
check "no QEMU process and no runtime files left" test ! -d "/proc/$pid" -a ! -e "$rundir"
finish
