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
# off, then the root powers the machine off. The profiles
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

plan 15

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

# boot_profile NAME: six test points.
boot_profile() {
        local name=$1 log=$XDG_RUNTIME_DIR/thatte-vmm/$1/serial.log m started
        started=$(date +%s.%N)
        if ! check "$name: start" "$vmm" start "$vms/$name.toml" --accel "$accel"; then
                not_ok "$name: ready" && not_ok "$name: modules listed" &&
                        not_ok "$name: compositor" && not_ok "$name: no failure" && not_ok "$name: stop powers down (not forced)"
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
        check "$name: no panic or failure of thatte-mk, the root task or the VMM" \
                eval '! grep -aqE "^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: (FAIL|guest stopped)" "$log"'
        check "$name: stop powers down (not forced)" stop_powered_down "$name"
}
boot_profile thatte-mk-driveros
boot_profile thatte-mk-driveros-direct
finish
