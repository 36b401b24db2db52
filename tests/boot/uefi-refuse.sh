#!/bin/bash
# uefi-refuse.sh: the loader's failure path before ExitBootServices. The
# test kernel, moved (program headers and entry patched) to physical
# 0x810000, where OVMF keeps its own data (the ACPI NVS range it reserves
# from 8 MiB on), is packed and booted under QEMU + OVMF: the loader must
# say which kernel range is taken and hand control back to the firmware
# ("thatte-boot: cannot boot ...; back to the firmware"); the kernel must
# never start.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"

marker_timeout=180
b=${top_builddir:-}
[ -n "$b" ] || bail_out "set top_builddir"
mkesp=$b/efi/thatte-mkesp mkboot=$b/efi/thatte-mkboot loader=$b/efi/thatte-boot.efi
kernel=$b/tests/boot/thatte-test-kernel.elf root=$b/tests/boot/thatte-test-root.elf

require_tool "$QEMU" mmd mcopy od dd
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf

# get64 FILE OFFSET / put64 FILE OFFSET VALUE: little-endian 64-bit fields
# (signed, so addresses in the higher half stay exact in shell arithmetic).
get64() {
        od -An -t d8 -j "$2" -N 8 "$1" | tr -d ' '
}
put64() {
        local i bytes=
        for ((i = 0; i < 8; i++)); do
                bytes+=$(printf '\\x%02x' $((($3 >> (8 * i)) & 255)))
        done
        printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

plan 4

shift=$((0x810000 - 0x200000))
moved=$scratch/moved.elf
cp -- "$kernel" "$moved" || bail_out "cannot copy $kernel"
phoff=$(get64 "$moved" 32)
put64 "$moved" 24 $(($(get64 "$moved" 24) + shift))
for i in 0 1; do
        for field in 16 24; do
                off=$((phoff + 56 * i + field))
                put64 "$moved" $off $(($(get64 "$moved" $off) + shift))
        done
done
packed=$scratch/moved.efi
check "thatte-mkboot packs the moved kernel" "$mkboot" -o "$packed" --loader "$loader" \
        --kernel "$moved" --root "$root" || bail_out "cannot pack"
esp=$scratch/esp.img
"$mkesp" -o "$esp" "$packed" || bail_out "cannot build the ESP"

ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
qemu_start -machine q35 -m 256 -vga std "${ovmf_args[@]}" \
        -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"
wait_for_line "$serial_log" 'thatte-boot: cannot boot|thatte-mk:' "$marker_timeout"
status=$?
check "the loader gives up" test $status = 0 && grep -aq 'thatte-boot: cannot boot' "$serial_log"
check "it says which kernel range is taken" \
        grep -aqE 'thatte-boot: kernel range 0x810000-0x813000 is taken' "$serial_log"
check "the kernel never starts" sh -c '! grep -aq "thatte-mk:" "$1"' sh "$serial_log"
[ "$tap_failed" = 0 ] || diag_file "$serial_log"
finish
