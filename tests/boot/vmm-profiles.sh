#!/bin/bash
# tests/boot/vmm-profiles.sh: the shipped boot-chain profiles through
# thatte-vmm, headless, TCG unless THATTE_TEST_ACCEL says otherwise. For
# each of thatte-mk (OVMF, the packed thatte-mk.efi on its ESP image) and
# thatte-mk-direct (no firmware, PVH), and where the build made the hybrid
# disk image thatte-mk.img, thatte-mk-bios (SeaBIOS, GRUB) and
# thatte-mk-image (OVMF): `start`, wait for
# "thatte-root: ready" in serial.log, `screenshot` and check the default
# picture at the size the root task painted, `stop` leaves no process and
# says "stopped (powered down)": the root task powered the machine off on
# the ACPI power button, thatte-vmm did not have to force it.
#
# Uses the build tree; THATTE_VMM and THATTE_VMM_PROFILES (a folder holding
# both profiles and the ESP image, e.g. /usr/share/thatte/vms) point it at
# the installed packages instead.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"

if [ -n "${THATTE_VMM_PROFILES:-}" ]; then
        vms=$THATTE_VMM_PROFILES
else
        # The build tree's profiles name installed paths: point them here.
        vms=$scratch/vms
        mkdir "$vms"
        cp "$top_srcdir/data/vms/thatte-mk.toml" "$top_builddir/data/vms/thatte-mk-esp.img" "$vms/" ||
                bail_out "thatte-mk-esp.img not built"
        if [ -f "$top_builddir/data/vms/thatte-mk.img" ]; then
                cp "$top_srcdir/data/vms/thatte-mk-bios.toml" "$top_srcdir/data/vms/thatte-mk-image.toml" \
                        "$top_builddir/data/vms/thatte-mk.img" "$vms/" || bail_out "cannot copy the media profiles"
        fi
        sed -e "s|^kernel = .*|kernel = \"$top_builddir/kernel/thatte-mk.elf\"|" \
                -e "s|^initrd = .*|initrd = \"$top_builddir/kernel/root/thatte-root.elf\"|" \
                "$top_builddir/data/vms/thatte-mk-direct.toml" >"$vms/thatte-mk-direct.toml" ||
                bail_out "thatte-mk-direct.toml not built"
fi

trap 'for n in thatte-mk thatte-mk-direct thatte-mk-noacpi thatte-mk-bios thatte-mk-image; do
        "$vmm" kill "$n" >/dev/null 2>&1
done; lib_cleanup' EXIT

# boot_profile NAME: five test points.
boot_profile() {
        local name=$1 rundir=$XDG_RUNTIME_DIR/thatte-vmm/$1 size
        if ! check "$name: start" "$vmm" start "$vms/$name.toml" --accel "$accel"; then
                not_ok "$name: ready" && not_ok "$name: screenshot taken"
                not_ok "$name: gradient matches" && not_ok "$name: stop"
                return
        fi
        if ! check "$name: ready" wait_for_line "$rundir/serial.log" '^thatte-root: ready' 180; then
                diag_file "$rundir/serial.log"
        fi
        check_vmm_root_picture "$vmm" "$name" "$rundir/serial.log"
        check "$name: stop powers down (not forced)" stop_powered_down "$name"
        diag "$name: $("$vmm" status "$name" 2>&1)"
}

# The boot-media image is built where GRUB for BIOS is installed.
media=0
if [ -f "$vms/thatte-mk.img" ]; then
        media=1
elif [ "${THATTE_REQUIRE_INTEGRATION:-0}" = 1 ]; then
        bail_out "thatte-mk.img not built (GRUB for BIOS missing at build time?)"
fi
# A guest that ignores the power button still stops: thatte-mk-direct
# with `acpi = false` (the root task finds no FADT and says so), and
# thatte-vmm forces QEMU. Three test points.
ignores_button() {
        local name=thatte-mk-noacpi rundir=$XDG_RUNTIME_DIR/thatte-vmm/thatte-mk-noacpi out
        sed -e "s|^name = .*|name = \"$name\"|" -e 's|^\[vm\]$|[vm]\nacpi = false|' \
                "$vms/thatte-mk-direct.toml" >"$scratch/$name.toml" || bail_out "cannot write $name.toml"
        if ! check "$name: start" "$vmm" start "$scratch/$name.toml" --accel "$accel"; then
                not_ok "$name: no power button, said" && not_ok "$name: stop forced"
                return
        fi
        if ! check "$name: no power button, said" wait_for_line "$rundir/serial.log" \
                '^thatte-root: power: no ACPI power button' 180; then
                diag_file "$rundir/serial.log"
        fi
        wait_for_line "$rundir/serial.log" '^thatte-root: ready' 60
        out=$("$vmm" stop "$name" --timeout 4 2>&1)
        diag "$name: $out"
        check "$name: stop forced" test "$out" = "$name: stopped (forced)"
}

plan $((13 + 10 * media))
boot_profile thatte-mk
boot_profile thatte-mk-direct
ignores_button
if [ $media = 1 ]; then
        boot_profile thatte-mk-bios
        boot_profile thatte-mk-image
fi
finish
