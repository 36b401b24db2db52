#!/bin/bash
# multiboot2-boot.sh: thatte-mk's Multiboot2 entry under GRUB on a BIOS.
# grub-mkrescue (GRUB's i386-pc files, xorriso, mtools) makes a CD whose
# grub.cfg runs `multiboot2 thatte-mk.elf` and `module2 thatte-root.elf
# root`; SeaBIOS boots it on pc and q35. The kernel must say it came in by
# multiboot2, the root task must end in "thatte-root: ready", and the
# picture it painted into the framebuffer GRUB set through VBE (1024x768,
# the kernel's header asks for it) must be the gradient.
# THATTE_MK_ELF and THATTE_ROOT_ELF name installed files instead.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/chain-inputs.sh"

marker_timeout=180
[ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf and thatte-root.elf not built"
require_tool "$QEMU" grub-mkrescue xorriso mformat
[ -f /usr/lib/grub/i386-pc/multiboot2.mod ] || skip_all "GRUB for BIOS not found (Debian package grub-pc-bin)"
require_helpers

fail_re='thatte-mk: panic:|error: '
plan 9

mkdir -p "$scratch/cd/boot/grub" && cp -- "$kernel" "$root" "$scratch/cd/boot/" ||
        bail_out "cannot stage the CD"
cat >"$scratch/cd/boot/grub/grub.cfg" <<'EOF'
set timeout=0
serial --unit=0 --speed=115200
terminal_output console serial
insmod all_video
menuentry thatte {
        multiboot2 /boot/thatte-mk.elf thatte.mb2=yes
        module2 /boot/thatte-root.elf root
}
EOF
check "grub-mkrescue makes the CD" grub-mkrescue -o "$scratch/cd.iso" "$scratch/cd" \
        2>"$scratch/mkrescue.log" || { diag_file "$scratch/mkrescue.log"; bail_out "no CD"; }

# boot NAME MACHINE: four test points.
boot() {
        local status
        qemu_start -machine "$2" -m 256 -vga std -cdrom "$scratch/cd.iso"
        wait_for_line "$serial_log" "^thatte-root: ready|$fail_re" "$marker_timeout"
        status=$?
        diag "$1: after $(seconds_since "$qemu_started_at") s"
        check "$1: kernel entered by multiboot2 with its command line" \
                grep -aq 'multiboot2 boot), command line "thatte.mb2=yes"' "$serial_log"
        if ! check "$1: boots to 'thatte-root: ready'" test "$status" = 0 -a \
                "$(grep -acE -- "$fail_re" "$serial_log")" = 0; then
                diag_file "$serial_log"
                not_ok "$1: screendump taken" && not_ok "$1: gradient matches"
        else
                check_screen_gradient "$1: " 1024x768 "$scratch/screen.ppm"
        fi
        qemu_stop
}

boot "SeaBIOS pc" pc
boot "SeaBIOS q35" q35
finish
