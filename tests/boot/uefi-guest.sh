#!/bin/bash
# uefi-guest.sh: DriverOS's guest images through the UEFI chain.
# thatte-mkboot packs the kernel, the root task and stand-in guest images
# (tests/boot/dummy-bzimage.sh, an initramfs, a command line) as PE
# sections; under QEMU + OVMF the loader must list each module it passes
# (`thatte-boot: module NAME SIZE bytes at BASE`) and the kernel each one
# it got, with the same sizes and page-aligned bases, and the root task
# must get to ready. Then the deliberate failure: the same image with the
# guest command line's NUL overwritten is refused by the loader, which
# says why and returns to the firmware (no kernel line).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"

marker_timeout=240
. "$(dirname -- "$0")/uefi-lib.sh"

plan 12

bz=$scratch/bzImage
sh "$(dirname -- "$0")/dummy-bzimage.sh" "$bz" || bail_out "cannot write the dummy bzImage"
printf 'initramfs bytes\n' >"$scratch/initrd"
cmdline='console=ttyS0 thatte.uefi-guest-test'
packed=$scratch/thatte-mk.efi
check "thatte-mkboot packs the guest images" "$mkboot" -o "$packed" --loader "$loader" \
        --kernel "$kernel" --root "$root" --guest-kernel "$bz" --guest-initrd "$scratch/initrd" \
        --guest-cmdline "$cmdline" || bail_out "cannot pack"

# boot_esp IMAGE: an ESP holding IMAGE, booted under OVMF.
boot_esp() {
        "$mkesp" -o "$scratch/esp.img" "$1" || bail_out "cannot build the ESP"
        ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
        qemu_start -machine q35 -m 256 -vga std "${ovmf_args[@]}" \
                -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$scratch/esp.img")"
}

# expect_module NAME BYTES: the loader's and the kernel's line for it.
expect_module() {
        local at='at 0x[0-9a-fA-F]*000[[:space:]]*$'
        check "loader passes module $1, $2 bytes" \
                grep -aqE "thatte-boot: module $1 $2 bytes $at" "$serial_log"
        check "kernel lists module $1, $2 bytes" \
                grep -aqE "^thatte-mk: .*module $1 $2 bytes $at" "$serial_log"
}

boot_esp "$packed"
wait_for_line "$serial_log" '^thatte-root: ready|^thatte-mk: panic:|^thatte-root: FAIL' "$marker_timeout"
if ! check "boots to thatte-root: ready" grep -aq '^thatte-root: ready' "$serial_log"; then
        diag_file "$serial_log"
fi
expect_module root "$(stat -c %s "$root")"
expect_module driveros-kernel 1040
expect_module driveros-initrd 16
expect_module driveros-cmdline $((${#cmdline} + 1))
qemu_stop

# The guest command line's terminating NUL, overwritten.
off=$(grep -obaF "$cmdline" "$packed" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || bail_out "the guest command line is not in the packed file"
cp "$packed" "$scratch/bad.efi"
printf 'x' | dd of="$scratch/bad.efi" bs=1 seek=$((off + ${#cmdline})) conv=notrunc 2>/dev/null
boot_esp "$scratch/bad.efi"
wait_for_line "$serial_log" 'thatte-boot: cannot boot' "$marker_timeout"
check "unterminated guest command line: refused" \
        grep -aqF "thatte-boot: the .gcmdln section is not one NUL-terminated text" "$serial_log" ||
        diag_file "$serial_log" 20
check "and no kernel started" eval '! grep -aq "^thatte-mk:" "$serial_log"'
finish
