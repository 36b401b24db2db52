#!/bin/bash
# tests/boot/vmm-mk-driveros.sh: the shipped profiles thatte-mk-driveros
# (OVMF) and thatte-mk-driveros-direct (PVH) through thatte-vmm, with
# stand-in guest images (tests/boot/dummy-bzimage.sh, an initramfs, a
# command line) packed by the build tree's thatte-mkboot into the files
# `thatte-driveros-make --system` makes: each profile boots to
# "thatte-root: ready" with the kernel listing the three driveros-*
# modules, and `stop` powers it down (the root task, on the ACPI power
# button: the stand-in guest cannot run, thatte-kvmm stops and says so,
# and the press powers off directly). The profiles name installed paths: the
# copies here point them at the scratch folder (only those lines change).
# DriverOS itself does not start yet (the VMM task is issue 18's next
# step), so no DriverOS marker is looked for.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/boot/chain-inputs.sh"

require_tool "$QEMU" mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
[ -f "$kernel" ] && [ -f "$root" ] && [ -x "$mkboot" ] || skip_all "thatte-mk or thatte-mkboot not built"
profiles=$top_builddir/data/vms
[ -f "$profiles/thatte-mk-driveros.toml" ] || skip_all "thatte-mk-driveros.toml not built"

trap 'for n in thatte-mk-driveros thatte-mk-driveros-direct; do
        "$vmm" kill "$n" >/dev/null 2>&1
done; lib_cleanup' EXIT

plan 11

files=$scratch/driveros
mkdir "$files"
sh "${top_srcdir:-$(dirname -- "$0")/../..}/tests/boot/dummy-bzimage.sh" "$files/bzImage" ||
        bail_out "cannot write the dummy bzImage"
printf 'initramfs bytes\n' >"$files/initrd.img"
guest=(--guest-kernel "$files/bzImage" --guest-initrd "$files/initrd.img" --guest-cmdline "console=ttyS0")
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

# boot_profile NAME: four test points.
boot_profile() {
        local name=$1 log=$XDG_RUNTIME_DIR/thatte-vmm/$1/serial.log m
        if ! check "$name: start" "$vmm" start "$vms/$name.toml" --accel "$accel"; then
                not_ok "$name: ready" && not_ok "$name: modules listed"
                not_ok "$name: stop powers down (not forced)"
                return
        fi
        if ! check "$name: ready" wait_for_line "$log" '^thatte-root: ready' 240; then
                diag_file "$log"
        fi
        m=$(grep -acE '^thatte-mk: .*module driveros-(kernel 1040|initrd 16|cmdline 14) bytes' "$log")
        check "$name: the kernel lists the three driveros modules ($m)" test "$m" = 3
        check "$name: stop powers down (not forced)" stop_powered_down "$name"
}
boot_profile thatte-mk-driveros
boot_profile thatte-mk-driveros-direct
finish
