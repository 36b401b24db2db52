#!/bin/bash
# mkimage-boot.sh: the boot media of thatte-mkimage under QEMU. The disk
# image (GPT: BIOS boot partition with GRUB's core, ESP with BOOTX64.EFI)
# boots under SeaBIOS on pc and q35 (GRUB, multiboot2) and under OVMF
# (thatte-mk.efi); the --iso image from -cdrom under SeaBIOS and OVMF; the
# disk image made with --sign under Secure Boot (the ovmf package's
# snakeoil firmware and key). Each to "thatte-root: ready" with the default
# picture on the screen, and through the path expected (multiboot2 for a
# BIOS, UEFI for OVMF); the disk image's command line reaches the kernel
# both ways.
# THATTE_MKIMAGE names an installed thatte-mkimage (its defaults then give
# the installed kernel, root task and loader); else the build tree's.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/chain-inputs.sh"

marker_timeout=240
mkimage=${THATTE_MKIMAGE:-${b:+$b/efi/thatte-mkimage}}
[ -n "$mkimage" ] || bail_out "set top_builddir or THATTE_MKIMAGE"
if [ -n "${THATTE_MKIMAGE:-}" ]; then
        inputs=()
else
        [ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf and thatte-root.elf not built"
        inputs=(--kernel "$kernel" --root "$root" --loader "$loader")
fi
require_tool "$QEMU" grub-mkimage xorriso mmd mcopy sbsign openssl
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
[ -f /usr/lib/grub/i386-pc/boot.img ] || skip_all "GRUB for BIOS not found (Debian package grub-pc-bin)"
require_ovmf
require_helpers
sb_code=/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd sb_vars=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
pem=/usr/share/ovmf/PkKek-1-snakeoil.pem
[ -f "$sb_code" ] && [ -f "$pem" ] || skip_all "the snakeoil OVMF is not installed (ovmf 2022.11 or newer)"

fail_re='thatte-mk: panic:|error: |thatte-boot: (cannot boot|.*halted)|Access Denied'
plan $((3 + 6 * 4 + 3))

img=$scratch/thatte.img iso=$scratch/thatte.iso signed=$scratch/signed.img
cmdline='thatte.media=disk thatte.x=1'
check "thatte-mkimage writes the disk image" "$mkimage" -o "$img" "${inputs[@]}" --cmdline "$cmdline" ||
        bail_out "no disk image"
check "thatte-mkimage --iso writes the CD image" "$mkimage" --iso -o "$iso" "${inputs[@]}" ||
        bail_out "no CD image"
key=$scratch/snakeoil.key
openssl pkey -passin pass:snakeoil -in "${pem%.pem}.key" -out "$key" 2>/dev/null ||
        bail_out "cannot decrypt the snakeoil key"
check "thatte-mkimage --sign writes a signed disk image" "$mkimage" -o "$signed" "${inputs[@]}" \
        --sign "$key" --cert "$pem" || bail_out "no signed image"
diag "sizes: disk $(stat -c %s "$img") bytes, CD $(stat -c %s "$iso") bytes"

# boot NAME VIA ARGS...: four test points; VIA is the kernel's word for
# the way it came in (multiboot2 or UEFI).
boot() {
        local name=$1 via=$2 status line
        shift 2
        qemu_start -m 256 -vga std "$@"
        wait_for_line "$serial_log" "^thatte-root: ready|$fail_re" "$marker_timeout"
        status=$?
        diag "$name: after $(seconds_since "$qemu_started_at") s"
        check "$name: thatte-mk entered by $via" grep -aq "thatte-mk starting ($via boot)" "$serial_log"
        case $name in
        disk,*) check "$name: the kernel got the command line" \
                grep -aq 'command line "thatte.media=disk thatte.x=1"' "$serial_log" ;;
        esac
        if ! check "$name: boots to 'thatte-root: ready'" test "$status" = 0 -a \
                "$(grep -acE -- "$fail_re" "$serial_log")" = 0; then
                diag_file "$serial_log"
                not_ok "$name: screendump taken" && not_ok "$name: gradient matches"
        else
                line=$(first_match "$serial_log" 'thatte-root: painted [0-9]+x[0-9]+')
                check_screen_gradient "$name: " "${line##* }" "$scratch/screen.ppm"
        fi
        qemu_stop
}

disk() { printf 'format=raw,file=%s' "$(qemu_opt_escape "$1")"; }

boot "disk, SeaBIOS pc" multiboot2 -machine pc -drive "$(disk "$img")"
boot "disk, SeaBIOS q35" multiboot2 -machine q35 -drive "$(disk "$img")"
ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
boot "disk, OVMF q35" UEFI -machine q35 "${ovmf_args[@]}" -drive "$(disk "$img")"
boot "CD, SeaBIOS pc" multiboot2 -machine pc -cdrom "$iso"
ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
boot "CD, OVMF q35" UEFI -machine q35 "${ovmf_args[@]}" -cdrom "$iso"
cp -- "$sb_vars" "$scratch/sb-vars.fd" || bail_out "cannot copy $sb_vars"
boot "signed disk, Secure Boot" UEFI -machine q35,smm=on \
        -global driver=cfi.pflash01,property=secure,value=on \
        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$(qemu_opt_escape "$sb_code")" \
        -drive "if=pflash,format=raw,unit=1,file=$(qemu_opt_escape "$scratch/sb-vars.fd")" \
        -drive "$(disk "$signed")"
finish
