#!/bin/bash
# tests/boot/vmm-mk-driveros.sh: the shipped profiles thatte-mk-driveros
# (OVMF) and thatte-mk-driveros-direct (PVH) through thatte-vmm, with a
# DriverOS image built by thatte-driveros-make (its kernel, initramfs and
# its own command line, as `thatte-driveros-make --system` packs them)
# packed by the build tree's thatte-mkboot into the files --system makes:
# each profile boots to "thatte-root: ready" with the kernel listing the
# three driveros-* modules, DriverOS under the VMM task reaches its
# compositor on the handed-over screen, and `stop` powers it down: the
# root task forwards the ACPI power button to the VMM, DriverOS powers
# off, then the root powers the machine off. Before the stop, thatte-vmm's
# own input verbs reach the root task through DriverOS: `pointer NAME
# click` where the pointer starts tells where it is, then `pointer NAME
# move:DX,DY click` onto (100, 60) in the root task's window (the PS/2
# mouse) prints `thatte-root: button 272 1 100 60`,
# then `send-key NAME a` into the focused window `thatte-root: key 30 1`;
# `pointer NAME at:50,50` is refused (no tablet in these profiles); fewer
# than 16384 port exits by 40000 exits (pci=noearly, a VMM default). The
# UEFI profile makes this the packed image's UEFI boot. The profiles
# name installed paths: the copies here point them at the scratch folder
# (only those lines change).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/boot/chain-inputs.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/driveros/lib-driveros.sh"

require_tool "$QEMU" mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
[ -f "$kernel" ] && [ -f "$root" ] && [ -x "$mkboot" ] || skip_all "thatte-mk or thatte-mkboot not built"
profiles=$top_builddir/data/vms
[ -f "$profiles/thatte-mk-driveros.toml" ] || skip_all "thatte-mk-driveros.toml not built"
require_driveros

trap 'for n in thatte-mk-driveros thatte-mk-driveros-direct; do
        "$vmm" kill "$n" >/dev/null 2>&1
done; lib_cleanup' EXIT

plan 29

files=$scratch/driveros
mkdir "$files"
drv_build "$scratch/img" || bail_out "thatte-driveros-make could not build the DriverOS image"
cmdline=$(drv_profile_value "$scratch/img" cmdline)
diag "the image's own command line: $cmdline"
guest=(--guest-kernel "$scratch/img/vmlinuz" --guest-initrd "$scratch/img/initrd.img"
        --guest-cmdline "$cmdline")
check "packed: thatte-mk-driveros.efi" "$mkboot" -o "$files/thatte-mk-driveros.efi" \
        --loader "$loader" --kernel "$kernel" --root "$root" "${guest[@]}" || bail_out "cannot pack"
check "its ESP image" "$mkesp" -o "$files/thatte-mk-driveros-esp.img" \
        "$files/thatte-mk-driveros.efi" || bail_out "cannot build the ESP"
check "packed: thatte-mk-driveros.cpio" "$mkboot" --direct -o "$files/thatte-mk-driveros.cpio" \
        --root "$root" "${guest[@]}" || bail_out "cannot bundle"

vms=$scratch/vms
mkdir "$vms"
sed -e "s|^esp = .*|esp = \"$files/thatte-mk-driveros-esp.img\"|" \
        "$profiles/thatte-mk-driveros.toml" >"$vms/thatte-mk-driveros.toml"
sed -e "s|^kernel = .*|kernel = \"$kernel\"|" \
        -e "s|^initrd = .*|initrd = \"$files/thatte-mk-driveros.cpio\"|" \
        "$profiles/thatte-mk-driveros-direct.toml" >"$vms/thatte-mk-driveros-direct.toml"

# input NAME LOG: six test points: the root task's window gets a click and
# a key sent by thatte-vmm's verbs.
input() {
        local name=$1 log=$2 scr_w scr_h win_x win_y dx dy p at_status try px py
        if ! check "$name: the root task's window on DriverOS's screen" \
                wait_for_line "$log" '^thatte-root: channel: frame 1 shown|^thatte-kvmm: (guest stopped|FAIL)' 240 ||
                ! grep -aq '^thatte-root: channel: frame 1 shown' "$log"; then
                for p in "pointer exits 0" "button 272 1" "button 272 0" "key 30 1 and 0" "at: refused"; do
                        not_ok "$name: $p"
                done
                return
        fi
        wait_for_line "$log" '^driveros: thatte-compositor: client thatte-mk 640x400 at ' 60
        read -r scr_w scr_h < <(grep -aoE '^driveros: thatte-compositor: fbdev [0-9]+x[0-9]+' "$log" |
                head -n 1 | grep -oE '[0-9]+x[0-9]+' | tr x ' ')
        read -r win_x win_y < <(grep -aoE '^driveros: thatte-compositor: client thatte-mk 640x400 at [0-9]+,[0-9]+' \
                "$log" | head -n 1 | grep -oE '[0-9]+,[0-9]+$' | tr , ' ')
        # Until DriverOS's mouse driver has enabled the mouse and the
        # compositor opened it (no line says so under `quiet`), QEMU drops
        # the events: click where the pointer starts (the screen's centre,
        # inside the window here) until the root task reports a click; its
        # place says where the pointer is. Then one move onto (100, 60).
        for try in 1 2 3 4 5 6 7 8 9 10 11 12; do
                "$vmm" pointer "$name" click || break
                wait_for_line "$log" '^thatte-root: button 272 0 [0-9]+ [0-9]+' 10 && break
        done
        read -r px py < <(grep -aoE '^thatte-root: button 272 0 [0-9]+ [0-9]+' "$log" | tail -n 1 | cut -d' ' -f5,6)
        dx=$((100 - ${px:-0})) dy=$((60 - ${py:-0}))
        diag "$name: screen ${scr_w}x$scr_h, window at $win_x,$win_y; try $try: the pointer at $px,$py in it"
        check "$name: thatte-vmm pointer move:$dx,$dy click" "$vmm" pointer "$name" "move:$dx,$dy" click
        wait_for_line "$log" '^thatte-root: button 272 0 100 60|^thatte-kvmm: (guest stopped|FAIL)' 60
        grep -aE '^thatte-root: (button|motion|focus|key) ' "$log" | tail -n 4 | while read -r l; do diag "$name: $l"; done
        check "$name: the click reaches the root task: button 272 1 100 60" \
                grep -aq '^thatte-root: button 272 1 100 60[[:space:]]*$' "$log"
        check "$name: and its release: button 272 0 100 60" \
                grep -aq '^thatte-root: button 272 0 100 60[[:space:]]*$' "$log"
        "$vmm" send-key "$name" a || diag "$name: send-key failed"
        wait_for_line "$log" '^thatte-root: key 30 0[[:space:]]*$|^thatte-kvmm: (guest stopped|FAIL)' 120
        check "$name: thatte-vmm send-key a reaches the focused window: key 30 1, then 0" \
                eval 'grep -aq "^thatte-root: key 30 1[[:space:]]*\$" "$log" &&
                        grep -aq "^thatte-root: key 30 0[[:space:]]*\$" "$log"'
        "$vmm" pointer "$name" at:50,50 2>"$scratch/at.err"
        at_status=$?
        check "$name: pointer at:X,Y is refused: the profile has no tablet" \
                eval 'test $at_status = 1 && grep -q "has no absolute pointer" "$scratch/at.err"' || diag_file "$scratch/at.err"
}

# exits NAME LOG: one test point. The image's own line has `quiet`, so
# few port exits are the console's; with the VMM's default pci=noearly,
# Linux (on QEMU's TCG CPU, AMD family 0xf) skips its two AGP bridge
# scans, 32768 port exits of their own (kernel/kvmm/README.md). Taken from
# the first exits line past 40000 exits (the idle guest gets there).
exits() {
        local line ioio
        wait_for_line "$2" '^thatte-kvmm: exits ([4-9][0-9]{4}|[0-9]{6,}),' 180
        line=$(grep -aE '^thatte-kvmm: exits ([4-9][0-9]{4}|[0-9]{6,}),' "$2" | head -n 1)
        diag "$1: ${line#thatte-kvmm: }"
        ioio=$(printf '%s\n' "$line" | grep -oE 'ioio [0-9]+' | cut -d' ' -f2)
        check "$1: fewer than 16384 port exits after 40000 exits (${ioio:-none}; the AGP scans alone are 32768)" \
                test "${ioio:-99999999}" -lt 16384
}

# boot_profile NAME: thirteen test points.
boot_profile() {
        local name=$1 log=$XDG_RUNTIME_DIR/thatte-vmm/$1/serial.log m started
        started=$(date +%s.%N)
        if ! check "$name: start" "$vmm" start "$vms/$name.toml" --accel "$accel"; then
                not_ok "$name: ready" && not_ok "$name: modules listed" &&
                        not_ok "$name: compositor" && not_ok "$name: no failure" && not_ok "$name: stop powers down (not forced)"
                for p in window "pointer exits 0" "button 272 1" "button 272 0" "key 30 1 and 0" "at: refused" \
                        "port exits"; do
                        not_ok "$name: $p"
                done
                return
        fi
        if ! check "$name: ready" wait_for_line "$log" '^thatte-root: ready' 240; then
                diag_file "$log"
        fi
        m=$(grep -acE "^thatte-mk: .*module driveros-(kernel $(stat -c %s "$scratch/img/vmlinuz")|initrd $(stat -c %s "$scratch/img/initrd.img")|cmdline $((${#cmdline} + 1))) bytes" "$log")
        check "$name: the kernel lists the three driveros modules ($m)" test "$m" = 3
        if check "$name: DriverOS's compositor under the VMM task, with the image's own command line" \
                wait_for_line "$log" '^driveros: thatte-compositor: fbdev [0-9]+x[0-9]+ .* on /dev/fb0|^thatte-kvmm: (guest stopped|FAIL)' \
                "${THATTE_KVMM_LINUX_TIMEOUT:-600}" && grep -aq '^driveros: thatte-compositor: ' "$log"; then
                diag "$name: the compositor after $(seconds_since "$started") s"
        else
                diag_file "$log" 30
        fi
        input "$name" "$log"
        exits "$name" "$log"
        check "$name: no panic or failure of thatte-mk, the root task or the VMM" \
                eval '! grep -aqE "^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: (FAIL|guest stopped)" "$log"'
        check "$name: stop powers down (not forced)" stop_powered_down "$name"
}
boot_profile thatte-mk-driveros
boot_profile thatte-mk-driveros-direct
finish
