#!/bin/bash
# uefi-hostile.sh: the hostile-children test of thatte-mk (see
# direct-hostile.sh) through the whole UEFI chain: an image packed with
# --cmdline thatte.test=hostile on a thatte-mkesp ESP, booted by OVMF on
# q35, so the kernel runs with the memory map, tables and CPU state the
# firmware leaves. The same checks as direct-hostile.sh (hostile-lib.sh).
#
# Needs the real kernel: kernel/thatte-mk.elf and kernel/root/thatte-root.elf
# in the build tree, or THATTE_MK_ELF and THATTE_ROOT_ELF; THATTE_MKBOOT,
# THATTE_MKESP and THATTE_BOOT_EFI installed programs instead of the build
# tree's.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/hostile-lib.sh"

marker_timeout=900
b=${top_builddir:-}
mkesp=${THATTE_MKESP:-${b:+$b/efi/thatte-mkesp}}
mkboot=${THATTE_MKBOOT:-${b:+$b/efi/thatte-mkboot}}
loader=${THATTE_BOOT_EFI:-${b:+$b/efi/thatte-boot.efi}}
kernel=${THATTE_MK_ELF:-${b:+$b/kernel/thatte-mk.elf}}
root=${THATTE_ROOT_ELF:-${b:+$b/kernel/root/thatte-root.elf}}
[ -n "$mkesp" ] && [ -n "$mkboot" ] || bail_out "set top_builddir, or THATTE_MKESP and THATTE_MKBOOT"

require_tool "$QEMU" mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
[ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf or thatte-root.elf not built"

plan $((hostile_nchecks + 2))

packed=$scratch/hostile.efi
esp=$scratch/esp.img
check "thatte-mkboot packs with thatte.test=hostile" "$mkboot" -o "$packed" --loader "$loader" \
        --kernel "$kernel" --root "$root" --cmdline "thatte.test=hostile" || bail_out "cannot pack"
check "thatte-mkesp builds the ESP" "$mkesp" -o "$esp" "$packed" || bail_out "cannot build the ESP"

ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
# As direct-hostile.sh: 1 GiB, -cpu max (SMEP, SMAP), -icount shift=0
# (the cases' deadlines are TSC ticks).
qemu_start -machine q35 -m 1024 -cpu max -icount shift=0 -vga std "${ovmf_args[@]}" \
        -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"
hostile_checks "$marker_timeout"
finish
