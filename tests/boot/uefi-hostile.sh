#!/bin/bash
# uefi-hostile.sh: the hostile-children test of thatte-mk (see
# direct-hostile.sh) through the whole UEFI chain: an image packed with
# --cmdline thatte.test=hostile on a thatte-mkesp ESP, booted by OVMF on
# q35, so the kernel runs with the memory map, tables and CPU state the
# firmware leaves. The same checks as direct-hostile.sh (hostile-lib.sh).
#
# Needs the real kernel (uefi-lib.sh says where it is found).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/hostile-lib.sh"

marker_timeout=900
. "$(dirname -- "$0")/uefi-lib.sh"

plan $((hostile_nchecks + 2))

uefi_esp_with thatte.test=hostile

ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
# As direct-hostile.sh: 1 GiB, -cpu max (SMEP, SMAP), -icount shift=0
# (the cases' deadlines are TSC ticks).
qemu_start -machine q35 -m 1024 -cpu max -icount shift=0 -vga std "${ovmf_args[@]}" \
        -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"
hostile_checks "$marker_timeout"
finish
