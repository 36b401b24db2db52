#!/bin/bash
# uefi-secureboot.sh: Secure Boot with Debian's test firmware. The ovmf
# package ships OVMF_CODE_4M.snakeoil.fd and OVMF_VARS_4M.snakeoil.fd,
# whose db trusts the "snakeoil" key pair it ships in /usr/share/ovmf
# (passphrase "snakeoil", from its README.Debian). The image packed by
# thatte-mkboot --sign with that key must boot to "thatte-root: ready"
# under Secure Boot (q35 with SMM, secure flash); the unsigned image, and
# the signed one with one byte of its .kernel section changed, must be
# refused by the firmware ("Access Denied") before the loader says a word.
# Also checked without QEMU: sbsign finds no gap between the PE sections of
# the unsigned image (every byte is signed), sbverify accepts the signed
# image and rejects the tampered one.
# THATTE_MKBOOT, THATTE_MKESP, THATTE_BOOT_EFI, THATTE_MK_ELF and
# THATTE_ROOT_ELF name installed files instead of the build tree's.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"

marker_timeout=240
. "$(dirname -- "$0")/chain-inputs.sh"
[ -n "$mkboot" ] || bail_out "set top_builddir, or THATTE_MKBOOT and the others"
[ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf and thatte-root.elf not built"

require_tool "$QEMU" mmd mcopy sbsign sbverify openssl objdump dd
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
code=${THATTE_OVMF_SNAKEOIL_CODE:-/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd}
vars=${THATTE_OVMF_SNAKEOIL_VARS:-/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd}
pem=/usr/share/ovmf/PkKek-1-snakeoil.pem
for f in "$code" "$vars" "$pem" "${pem%.pem}.key"; do
        [ -f "$f" ] || skip_all "$f not found (Debian package ovmf 2022.11 or newer)"
done

done_re='^thatte-root: ready'
denied_re='Access Denied'
fail_re='thatte-mk: panic:|thatte-boot: (cannot boot|.*halted)'

plan 10

# sbsign reads the key without asking when it is not encrypted.
key=$scratch/snakeoil.key
openssl pkey -passin pass:snakeoil -in "${pem%.pem}.key" -out "$key" 2>"$scratch/openssl.err" ||
        { diag_file "$scratch/openssl.err"; bail_out "cannot decrypt the snakeoil key"; }

unsigned=$scratch/unsigned.efi signed=$scratch/signed.efi tampered=$scratch/tampered.efi
"$mkboot" -o "$unsigned" --loader "$loader" --kernel "$kernel" --root "$root" ||
        bail_out "cannot pack the unsigned image"
check "thatte-mkboot --sign --cert signs the image" "$mkboot" -o "$signed" --loader "$loader" \
        --kernel "$kernel" --root "$root" --sign "$key" --cert "$pem" || bail_out "cannot sign"
check "sbverify accepts the signed image" sbverify --cert "$pem" "$signed"
sbsign --key "$key" --cert "$pem" --output "$scratch/resigned.efi" "$unsigned" 2>"$scratch/sbsign.err"
check "sbsign finds no gap between the PE sections" \
        sh -c '! grep -qiE "gap|data remaining" "$1"' sh "$scratch/sbsign.err" ||
        diag_file "$scratch/sbsign.err"

# One byte in the middle of .kernel's raw data, flipped.
kernel_off=$(objdump -h "$signed" | awk '$2 == ".kernel" { print $6 }')
[ -n "$kernel_off" ] || bail_out "no .kernel section in $signed"
cp -- "$signed" "$tampered" || bail_out "cannot copy $signed"
at=$((0x$kernel_off + 0x1000))
byte=$(od -An -t u1 -j "$at" -N 1 "$tampered" | tr -d ' ')
printf "\\$(printf '%03o' $(((byte + 1) & 255)))" | dd of="$tampered" bs=1 seek="$at" conv=notrunc 2>/dev/null
check "sbverify rejects the tampered image" sh -c '! sbverify --cert "$1" "$2" >/dev/null 2>&1' sh \
        "$pem" "$tampered"

# boot NAME EFI EXPECT: boots EFI from an ESP under Secure Boot; EXPECT is
# ready or denied. Two test points.
boot() {
        local name=$1 efi=$2 expect=$3 status
        "$mkesp" -o "$scratch/esp.img" "$efi" || bail_out "cannot build the ESP for $name"
        cp -- "$vars" "$scratch/vars.fd" || bail_out "cannot copy $vars"
        qemu_start -machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on \
                -m 256 -vga std \
                -drive "if=pflash,format=raw,unit=0,readonly=on,file=$(qemu_opt_escape "$code")" \
                -drive "if=pflash,format=raw,unit=1,file=$(qemu_opt_escape "$scratch/vars.fd")" \
                -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$scratch/esp.img")"
        wait_for_line "$serial_log" "$done_re|$denied_re|$fail_re" "$marker_timeout"
        status=$?
        diag "$name: after $(seconds_since "$qemu_started_at") s"
        if [ "$expect" = ready ]; then
                check "$name: boots to '$done_re'" grep -aq -- "$done_re" "$serial_log" ||
                        diag_file "$serial_log"
                check "$name: firmware did not refuse it" sh -c '! grep -aq -- "$1" "$2"' sh \
                        "$denied_re" "$serial_log"
        else
                check "$name: firmware says '$denied_re'" test "$status" = 0 -a \
                        "$(grep -ac -- "$denied_re" "$serial_log")" -gt 0 || diag_file "$serial_log"
                check "$name: the loader never ran" sh -c '! grep -aq "thatte-boot:" "$1"' sh "$serial_log"
        fi
        qemu_stop
}

boot "signed" "$signed" ready
boot "unsigned" "$unsigned" denied
boot "tampered" "$tampered" denied
finish
