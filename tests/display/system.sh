#!/bin/bash
# tests/display/system.sh: the shipped system data/systems/driveros-mk.toml
# through thatte-vmm (TCG): `up` starts DriverOS (an image built here, as
# the profile `driveros`) and then thatte-mk-direct (the build tree's
# kernel and root task) sharing channel "mk-display"; DriverOS's
# compositor shows the root task's window (thatte-vmm screenshot, then
# display-find at the logged place); `down` stops both and the channel's
# backing file goes. Profiles are found by name in $XDG_CONFIG_HOME, which
# points into the scratch folder, so the shipped system file is used as is.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/../driveros/lib-driveros.sh"
. "$(dirname -- "$0")/lib-display.sh"

system=${top_srcdir:-.}/data/systems/driveros-mk.toml
require_mk
[ -f "$system" ] || skip_all "no $system"
disp_prepare
require_vmm
trap 'vmm down "$system" >/dev/null 2>&1; disp_cleanup' EXIT
plan 7

# vmm ARG...: thatte-vmm, its messages as TAP comments.
vmm() {
        "$drv_vmm" "$@" 2>&1 | sed 's/^/# /'
        return "${PIPESTATUS[0]}"
}
export XDG_CONFIG_HOME=$scratch/config
vms=$XDG_CONFIG_HOME/thatte/vms
mkdir -p "$vms"
sed -e "s|^kernel = .*|kernel = \"$image/vmlinuz\"|" \
        -e "s|^initrd = .*|initrd = \"$image/initrd.img\"|" "$image/driveros.toml" >"$vms/driveros.toml"
sed -e "s|^kernel = .*|kernel = \"$mk_elf\"|" -e "s|^initrd = .*|initrd = \"$root_elf\"|" \
        "$top_builddir/data/vms/thatte-mk-direct.toml" >"$vms/thatte-mk-direct.toml"

if ! check "thatte-vmm up driveros-mk.toml" vmm up --accel="${THATTE_TEST_ACCEL:-tcg}" "$system"; then
        diag_file "$XDG_RUNTIME_DIR/thatte-vmm/driveros/serial.log"
        diag_file "$XDG_RUNTIME_DIR/thatte-vmm/thatte-mk-direct/serial.log"
fi
check "list names both VMs of the system" \
        bash -c '[ "$("$1" list | grep -c " driveros-mk\$")" = 2 ]' _ "$drv_vmm"
serial_log=$XDG_RUNTIME_DIR/thatte-vmm/driveros/serial.log
check "the compositor shows the window thatte-mk 640x400" \
        wait_for_line "$serial_log" 'thatte-compositor: client thatte-mk 640x400' 120
check "the root task hears its frame was shown" wait_for_line \
        "$XDG_RUNTIME_DIR/thatte-vmm/thatte-mk-direct/serial.log" '^thatte-root: channel: frame 1 shown' 60
vmm screenshot driveros -o "$scratch/screen.ppm" >/dev/null 2>&1
check "its picture at the logged place ($(window_place thatte-mk))" \
        find_window "$scratch/screen.ppm" --root --at $(window_place thatte-mk)
check "thatte-vmm down driveros-mk.toml" vmm down "$system"
check "the channel's backing file is gone" test ! -e "$XDG_RUNTIME_DIR/thatte-vmm/channels/mk-display"
finish
