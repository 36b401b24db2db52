#!/bin/bash
# boot-iso.sh: `thatte-driveros-make --iso` adds driveros.iso to the image
# folder (listed with its SHA-256 in the MANIFEST); QEMU boots it from
# -cdrom under SeaBIOS (GRUB's El Torito core: linux + initrd, the
# profile's command line, console on the first serial port) and under OVMF
# (the UKI on the El Torito EFI image), each to the compositor's marker and
# the gradient on the screen. With ISO_KERNEL=thatte (boot-iso-thatte.sh)
# the same for the THATTE kernel (its bzImage on the CD, the UKI made of it).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

drv_path_mkesp
require_driveros
kernel_args=()
if [ -n "${ISO_KERNEL:-}" ]; then
        require_kernel_build
        kernel_args=(--kernel="$ISO_KERNEL")
fi
require_tool "$QEMU" objcopy thatte-mkesp mmd mcopy grub-mkimage xorriso sha256sum
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
[ -f /usr/lib/grub/i386-pc/cdboot.img ] || skip_all "GRUB for BIOS not found (Debian package grub-pc-bin)"
require_ovmf
require_helpers
plan 9

img=$scratch/img
if ! check "image with --iso ${kernel_args[*]} built" drv_build "$img" --iso "${kernel_args[@]}"; then
        for i in 2 3 4 5 6 7 8 9; do not_ok "skipped: no image"; done
        finish
fi
check "driveros.iso present" test -s "$img/driveros.iso"
sum=$(sha256sum "$img/driveros.iso" | cut -d' ' -f1)
check "MANIFEST lists driveros.iso with its SHA-256" grep -q "$sum.*driveros.iso" "$img/MANIFEST"
diag "driveros.iso: $(stat -c %s "$img/driveros.iso") bytes"

# boot NAME ARGS...: four test points.
boot() {
        local name=$1 status line
        shift
        qemu_start -m 512 -vga std -cdrom "$img/driveros.iso" "$@"
        wait_for_line "$serial_log" 'thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+|Kernel panic' 300
        status=$?
        diag "$name: after $(seconds_since "$qemu_started_at") s"
        if ! check "$name: the compositor runs" test "$status" = 0 -a \
                "$(grep -ac 'Kernel panic' "$serial_log")" = 0; then
                diag_file "$serial_log"
                not_ok "$name: screendump taken" && not_ok "$name: gradient matches"
        else
                line=$(first_match "$serial_log" 'thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+')
                check_screen_gradient "$name: " "${line##* }" "$scratch/screen.ppm"
        fi
        qemu_stop
}

boot "SeaBIOS pc" -machine pc
ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
boot "OVMF q35" -machine q35 "${ovmf_args[@]}"
finish
