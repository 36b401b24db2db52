#!/bin/bash
# uefi-panic.sh: the panic path through the whole UEFI chain. An image
# packed with --cmdline thatte.test=panic boots under QEMU + OVMF; the
# kernel must fault on purpose and print "thatte-mk: panic: REASON" and
# at least three backtrace lines "thatte-mk:   #N ADDR FUNCTION+0xOFF"
# whose FUNCTION is a real function of thatte-mk.elf (nm) and whose ADDR
# is that function's address plus OFF.
#
# Needs the real kernel: kernel/thatte-mk.elf and kernel/root/thatte-root.elf
# in the build tree, or THATTE_MK_ELF and THATTE_ROOT_ELF (e.g. the
# installed /usr/lib/thatte/efi ones); THATTE_MKBOOT, THATTE_MKESP and
# THATTE_BOOT_EFI installed programs instead of the build tree's.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/panic-frames.sh"

marker_timeout=180
. "$(dirname -- "$0")/uefi-lib.sh"

plan 6

uefi_esp_with thatte.test=panic

ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
qemu_start -machine q35 -m 256 -vga std "${ovmf_args[@]}" \
        -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"

wait_for_line "$serial_log" '^thatte-mk: panic:' "$marker_timeout"
if ! check "panic line seen" test $? = 0; then
        diag_file "$serial_log"
        not_ok "at least 3 backtrace frames" && not_ok "frames name functions of thatte-mk.elf" &&
                not_ok "frame addresses are function + offset"
        finish
fi
diag "$(first_match "$serial_log" '^thatte-mk: panic:.*')"
# The kernel ends its report with "thatte-mk: halted".
wait_for_line "$serial_log" '^thatte-mk: halted' 30
check_panic_frames "$kernel" "$serial_log"
finish
