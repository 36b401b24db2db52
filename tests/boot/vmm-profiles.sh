#!/bin/bash
# tests/boot/vmm-profiles.sh: the shipped boot-chain profiles through
# thatte-vmm, headless, TCG unless THATTE_TEST_ACCEL says otherwise. For
# each of thatte-mk (OVMF, the packed thatte-mk.efi on its ESP image) and
# thatte-mk-direct (no firmware, PVH): `start`, wait for
# "thatte-root: ready" in serial.log, `screenshot` and check the default
# picture at the size the root task painted, `stop` leaves no process.
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
        sed -e "s|^kernel = .*|kernel = \"$top_builddir/kernel/thatte-mk.elf\"|" \
                -e "s|^initrd = .*|initrd = \"$top_builddir/kernel/root/thatte-root.elf\"|" \
                "$top_builddir/data/vms/thatte-mk-direct.toml" >"$vms/thatte-mk-direct.toml" ||
                bail_out "thatte-mk-direct.toml not built"
fi

trap '"$vmm" kill thatte-mk >/dev/null 2>&1; "$vmm" kill thatte-mk-direct >/dev/null 2>&1; lib_cleanup' EXIT

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
        size=$(first_match "$rundir/serial.log" '^thatte-root: painted [0-9]+x[0-9]+')
        size=${size##* }
        if check "$name: screenshot taken" "$vmm" screenshot "$name" -o "$scratch/$name.ppm"; then
                check "$name: gradient matches" gradient_check --expect-size "${size:-0x0}" "$scratch/$name.ppm"
        else
                not_ok "$name: gradient matches"
        fi
        check "$name: stop" "$vmm" stop "$name" --timeout 3
        diag "$name: $("$vmm" status "$name" 2>&1)"
}

plan 10
boot_profile thatte-mk
boot_profile thatte-mk-direct
finish
