#!/bin/bash
# uefi-boot.sh: the packed image (thatte-mkboot: loader + kernel + root
# task) on an ESP (thatte-mkesp) under QEMU + OVMF, on a spread of the
# configurations a user may give: q35 and pc, 128 MiB to beyond 4 GiB,
# 1 to 4 CPUs, qemu64 (also without NX) and max CPUs, std-vga and
# virtio-gpu (Blt-only GOP: no framebuffer handed over). Each must
# reach the final marker; with std-vga the screendump must be the default
# picture. A fresh copy of the OVMF variables for every boot.
#
# The real kernel and root task (kernel/thatte-mk.elf, kernel/root/
# thatte-root.elf) end in "thatte-root: ready"; until they are built (or
# with THATTE_TEST_KERNEL=1) the test kernel of tests/boot/ checks the boot
# information and paints instead ("thatte-mk: test kernel: painted WxH").
# THATTE_MK_EFI names a ready packed image to boot instead of packing one
# (e.g. /usr/lib/thatte/efi/thatte-mk.efi from the thatte-efi package),
# THATTE_MKESP, THATTE_MKBOOT and THATTE_BOOT_EFI installed programs.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"

marker_timeout=180
b=${top_builddir:-}
mkesp=${THATTE_MKESP:-${b:+$b/efi/thatte-mkesp}}
mkboot=${THATTE_MKBOOT:-${b:+$b/efi/thatte-mkboot}}
loader=${THATTE_BOOT_EFI:-${b:+$b/efi/thatte-boot.efi}}
packed=${THATTE_MK_EFI:-}
[ -n "$mkesp" ] || bail_out "set top_builddir, or THATTE_MKESP (and THATTE_MK_EFI)"

require_tool "$QEMU" mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
require_helpers

if [ -n "$packed" ]; then
        mode=real
elif [ "${THATTE_TEST_KERNEL:-0}" != 1 ] && [ -f "$b/kernel/thatte-mk.elf" ] &&
        [ -f "$b/kernel/root/thatte-root.elf" ]; then
        mode=real kernel=$b/kernel/thatte-mk.elf root=$b/kernel/root/thatte-root.elf
else
        mode=test kernel=$b/tests/boot/thatte-test-kernel.elf root=$b/tests/boot/thatte-test-root.elf
fi
if [ "$mode" = real ]; then
        done_re='^thatte-root: ready'
        painted_re='^thatte-root: painted [0-9]+x[0-9]+'
else
        done_re='^thatte-mk: test kernel: (painted [0-9]+x[0-9]+|no framebuffer to paint)'
        painted_re='^thatte-mk: test kernel: painted [0-9]+x[0-9]+'
fi
fail_re='^thatte-mk: panic:|^thatte-mk: test kernel: bootinfo BAD|thatte-boot: (cannot boot|.*halted)'

# name | gradient checked | QEMU arguments
configs=(
        "q35 256M 1 CPU qemu64 std-vga|yes|-machine q35 -m 256 -smp 1 -cpu qemu64 -vga std"
        "pc 128M 2 CPUs max std-vga|yes|-machine pc -m 128 -smp 2 -cpu max -vga std"
        "q35 5G 4 CPUs max virtio-gpu|no|-machine q35 -m 5G -smp 4 -cpu max -vga none -device virtio-gpu-pci"
        "pc 4608M 1 CPU qemu64 std-vga|yes|-machine pc -m 4608 -smp 1 -cpu qemu64 -vga std"
        "q35 512M 3 CPUs qemu64 without NX std-vga|yes|-machine q35 -m 512 -smp 3 -cpu qemu64,-nx -vga std"
)

points=4
[ "$mode" = real ] && points=5      # and the root task's guest check (issue 17)
plan $((2 + points * ${#configs[@]}))
diag "mode: $mode${kernel:+ (kernel $kernel)}"

if [ -z "$packed" ]; then
        packed=$scratch/thatte-mk.efi
        check "thatte-mkboot packs the image" "$mkboot" -o "$packed" \
                --loader "$loader" --kernel "$kernel" --root "$root" ||
                bail_out "cannot pack"
else
        ok "packed image given: $packed"
fi
esp=$scratch/esp.img
check "thatte-mkesp builds the ESP" "$mkesp" -o "$esp" "$packed" || bail_out "cannot build the ESP"

# guest_check NAME ARGS...: under -cpu max (SVM with nested paging) the
# root task's tiny guests passed every check; elsewhere the VCPU was refused.
guest_check() {
        local name=$1
        shift
        if [[ " $* " == *" -cpu max "* ]]; then
                check "$name: the root's guests ran (guest ok)" \
                        grep -aqE '^thatte-root: guest ok'$'\r?$' "$serial_log"
        else
                check "$name: no SVM with nested paging: the VCPU refused" \
                        grep -aqE '^thatte-root: guest: no VCPU on this machine' "$serial_log"
        fi
}

# boot_one NAME GRADIENT ARGS...: $points test points.
boot_one() {
        local name=$1 gradient=$2 status size line
        shift 2
        ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
        qemu_start "$@" "${ovmf_args[@]}" -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"
        wait_for_line "$serial_log" "^thatte-mk:|$fail_re" "$marker_timeout"
        diag "$name: first kernel line after $(seconds_since "$qemu_started_at") s"
        wait_for_line "$serial_log" "$done_re|$fail_re" "$marker_timeout"
        status=$?
        check "$name: loader lines on serial" grep -aq 'thatte-boot: kernel 0x' "$serial_log"
        if [ $status = 0 ] && grep -aqE -- "$fail_re" "$serial_log"; then
                status=4
        fi
        if ! check "$name: boots to '$done_re'" test $status = 0; then
                diag_file "$serial_log"
                diag_file "$qemu_log"
                not_ok "$name: screendump taken" && not_ok "$name: gradient matches"
                [ "$mode" = real ] && not_ok "$name: the root's guests"
                qemu_stop
                return
        fi
        diag "$name: done after $(seconds_since "$qemu_started_at") s"
        [ "$mode" = real ] && guest_check "$name" "$@"
        line=$(first_match "$serial_log" "$painted_re")
        if [ "$gradient" = yes ] && [ -n "$line" ]; then
                size=${line##* }
                check_screen_gradient "$name: " "$size" "$scratch/screen.ppm"
        elif [ "$gradient" = yes ]; then
                diag_file "$serial_log"
                not_ok "$name: screendump taken (nothing painted)" && not_ok "$name: gradient matches"
        else
                ok "$name: screendump taken # SKIP no linear framebuffer expected"
                ok "$name: gradient matches # SKIP no linear framebuffer expected"
        fi
        qemu_stop
}

for config in "${configs[@]}"; do
        IFS='|' read -r name gradient args <<<"$config"
        # shellcheck disable=SC2086 # args is a word list on purpose
        boot_one "$name" "$gradient" $args
done
finish
