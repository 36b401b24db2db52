#!/bin/bash
# direct-bundle.sh: the direct boot's module bundle. `thatte-mkboot
# --direct` packs the root task and dummy DriverOS images (a made-up
# bzImage header, an initramfs and a command line) into one cpio file;
# QEMU -kernel thatte-mk.elf -initrd that file boots, the kernel logs each
# module with its exact size and the root task gets to ready. Then the
# deliberate failures: a bundle with a non-hex header digit and one
# without a member named root stop the boot with the reader's reason.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=120
mkboot=${THATTE_MKBOOT:-${b:+$b/efi/thatte-mkboot}}
require_direct
[ -x "$mkboot" ] || skip_all "thatte-mkboot not built"

plan 9

# A stand-in for DriverOS's kernel that passes the bzImage check.
bz=$scratch/bzImage
sh "$(dirname -- "$0")/dummy-bzimage.sh" "$bz" || bail_out "cannot write the dummy bzImage"
printf 'initramfs bytes\n' >"$scratch/initrd"
cmdline='console=ttyS0 thatte.bundle-test'

bundle=$scratch/bundle.cpio
"$mkboot" --direct -o "$bundle" --root "$root" --guest-kernel "$bz" \
        --guest-initrd "$scratch/initrd" --guest-cmdline "$cmdline" 2>"$scratch/err"
check "thatte-mkboot --direct writes the bundle" test $? = 0 -a -s "$bundle"
[ -s "$scratch/err" ] && diag_file "$scratch/err"
if command -v cpio >/dev/null 2>&1; then
        names=$(cpio -it --quiet <"$bundle" | grep -v '^\.pad$' | tr '\n' ' ')
        check "cpio lists root and the driveros members ($names)" \
                test "$names" = "root driveros-kernel driveros-initrd driveros-cmdline "
else
        ok "cpio lists the members # SKIP cpio not installed"
fi

# expect_module NAME BYTES: the kernel's line for the module.
expect_module() {
        check "kernel lists module $1, $2 bytes" \
                grep -aqE "^thatte-mk: .*module $1 $2 bytes at 0x[0-9a-f]*000[[:space:]]*\$" "$serial_log"
}

qemu_start -vga std -machine pc -m 256 -kernel "$kernel" -initrd "$bundle"
direct_wait "$marker_timeout"
if ! check "the bundle boots to thatte-root: ready" test $? = 0; then
        diag_file "$serial_log" 40
fi
expect_module root "$(stat -c %s "$root")"
expect_module driveros-kernel 1040
expect_module driveros-initrd 16
expect_module driveros-cmdline $((${#cmdline} + 1))
qemu_stop

# refused FILE REASON: the boot stops with the reader's reason.
refused() {
        qemu_start -vga std -machine pc -m 256 -kernel "$kernel" -initrd "$1"
        wait_for_line "$serial_log" '^thatte-mk: panic:' "$marker_timeout"
        check "refused: $2" grep -aqF "panic: PVH module bundle: $2" "$serial_log" ||
                diag_file "$serial_log" 10
        qemu_stop
}

cp "$bundle" "$scratch/hex.cpio"
printf 'g' | dd of="$scratch/hex.cpio" bs=1 seek=20 conv=notrunc 2>/dev/null
refused "$scratch/hex.cpio" "a header field that is not hexadecimal"
sed 's/root\x00/rooX\x00/' "$bundle" >"$scratch/noroot.cpio"
refused "$scratch/noroot.cpio" "no member named root"
finish
