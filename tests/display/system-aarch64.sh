#!/bin/bash
# tests/display/system-aarch64.sh: the shipped system
# data/systems/driveros-mk-aarch64.toml through thatte-vmm on
# qemu-system-aarch64 -machine virt (TCG): `up` starts DriverOS for arm64
# (an image built here with --arch arm64, as the profile `driveros`) and
# then thatte-mk-aarch64-direct (the build tree's aarch64 image) sharing
# channel "mk-display". The root task finds the ivshmem function through
# the PCIe ECAM, places its BAR2 itself and paints its window into it;
# DriverOS's compositor shows that window (thatte-vmm screenshot, then
# display-find at the logged place), the same check as system.sh's; a
# click on it reaches the root task; `down` stops both and the channel's
# backing file goes.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/lib-display.sh"

system=${top_srcdir:-.}/data/systems/driveros-mk-aarch64.toml
mk_img=${THATTE_MK_AARCH64:-${top_builddir:+$top_builddir/kernel/thatte-mk-aarch64.img}}
[ -f "$system" ] || skip_all "no $system"
[ -f "$mk_img" ] || skip_all "no $mk_img (configure found no aarch64-linux-gnu-gcc)"
drv_compositor=${THATTE_ARM64_COMPOSITOR:-${top_builddir:+$top_builddir/arm64/thatte-compositor}}
drv_init=${THATTE_ARM64_INIT:-${top_builddir:+$top_builddir/arm64/thatte-init}}
[ -x "$drv_compositor" ] && [ -x "$drv_init" ] ||
        skip_all "no arm64 compositor and thatte-init (gcc-aarch64-linux-gnu, libdrm-dev:arm64)"
require_tool qemu-system-aarch64
require_helpers
require_driveros
apt-cache show --no-all-versions linux-image-arm64:arm64 >/dev/null 2>&1 ||
        skip_all "apt knows no linux-image-arm64:arm64 (dpkg --add-architecture arm64; apt-get update)"
[ -x "$disp_find" ] || bail_out "tests/display/display-find not built (make check builds it)"
require_vmm
trap 'vmm down "$system" >/dev/null 2>&1; disp_cleanup' EXIT
plan 10

# vmm ARG...: thatte-vmm, its messages as TAP comments.
vmm() {
        "$drv_vmm" "$@" 2>&1 | sed 's/^/# /'
        return "${PIPESTATUS[0]}"
}
image=$scratch/image
drv_build "$image" --arch arm64 || bail_out "thatte-driveros-make --arch arm64 failed"
diag "arm64 image built in $drv_build_seconds s"
export XDG_CONFIG_HOME=$scratch/config
vms=$XDG_CONFIG_HOME/thatte/vms
mkdir -p "$vms"
sed -e "s|^kernel = .*|kernel = \"$image/vmlinuz\"|" \
        -e "s|^initrd = .*|initrd = \"$image/initrd.img\"|" "$image/driveros.toml" >"$vms/driveros.toml"
sed -e "s|^kernel = .*|kernel = \"$mk_img\"|" \
        "$top_builddir/data/vms/thatte-mk-aarch64-direct.toml" >"$vms/thatte-mk-aarch64-direct.toml"

mk_log=$XDG_RUNTIME_DIR/thatte-vmm/thatte-mk-aarch64-direct/serial.log
serial_log=$XDG_RUNTIME_DIR/thatte-vmm/driveros/serial.log
if ! check "thatte-vmm up driveros-mk-aarch64.toml" vmm up --accel="${THATTE_TEST_ACCEL:-tcg}" "$system"; then
        diag_file "$serial_log"
        diag_file "$mk_log"
fi
check "list names both VMs of the system" \
        bash -c '[ "$("$1" list | grep -c " driveros-mk-aarch64\$")" = 2 ]' _ "$drv_vmm"
check "DriverOS is the arm64 one (ttyAMA0)" grep -q "console=ttyAMA0" "$vms/driveros.toml"
if ! check "the root task placed the ivshmem BAR2 through the ECAM and opened the channel" \
        wait_for_line "$mk_log" '^thatte-root: channel 640x400 at BAR2 0x[0-9a-f]+' 60; then
        diag_file "$mk_log"
fi
diag "$(first_match "$mk_log" '^thatte-root: pci: ECAM .*')"
check "the compositor shows the window thatte-mk 640x400" \
        wait_for_line "$serial_log" 'thatte-compositor: client thatte-mk 640x400' 120
check "the root task hears its frame was shown" \
        wait_for_line "$mk_log" '^thatte-root: channel: frame 1 shown' 60
vmm screenshot driveros -o "$scratch/screen.ppm" >/dev/null 2>&1
check "its picture at the logged place ($(window_place thatte-mk))" \
        find_window "$scratch/screen.ppm" --root --at $(window_place thatte-mk)
# Input the other way: a click on the window's middle (QMP on DriverOS's
# tablet) reaches the root task through the channel's input ring, which
# it reads as untrusted (channel.c), in window coordinates within 2 pixels
# of 320,200 (the tablet's 0..32767 scale rounds).
qmp_socket=$XDG_RUNTIME_DIR/thatte-vmm/driveros/qmp.sock
screen_size=$(first_match "$serial_log" "$comp_marker")
screen_size=${screen_size##* }
read -r ax ay <<<"$(window_place thatte-mk)"
qmp_click $((${ax:-0} + 320)) $((${ay:-0} + 200)) || diag "QMP on $qmp_socket failed"
if ! check "a click on its window reaches the root task" \
        wait_for_line "$mk_log" '^thatte-root: button 272 1 (31[89]|32[0-2]) (19[89]|20[0-2])([^0-9]|$)' 60; then
        diag "screen $screen_size, window at $ax $ay"
        diag_file "$serial_log" 30
        diag_file "$mk_log" 30
fi
check "thatte-vmm down driveros-mk-aarch64.toml" vmm down "$system"
check "the channel's backing file is gone" test ! -e "$XDG_RUNTIME_DIR/thatte-vmm/channels/mk-display"
finish
