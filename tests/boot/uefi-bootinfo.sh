#!/bin/bash
# uefi-bootinfo.sh: the loader's handoff checked by the test kernel of
# tests/boot/ (test-kernel.c), whatever kernel the tree has: packed with a
# command line, booted under QEMU + OVMF with memory beyond 4 GiB, it must
# find the boot information right (magic, version, a sorted and merged map,
# its own image typed KERNEL, the block typed BOOTINFO, the root module,
# framebuffer fields, RSDP signature, TSC readings in order), see the
# command line, and paint the default picture through the framebuffer.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"

marker_timeout=180
b=${top_builddir:-}
[ -n "$b" ] || bail_out "set top_builddir"

require_tool "$QEMU" mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
require_helpers

plan 5

packed=$scratch/test.efi esp=$scratch/esp.img
check "thatte-mkboot packs the test kernel" "$b/efi/thatte-mkboot" -o "$packed" \
        --loader "$b/efi/thatte-boot.efi" --kernel "$b/tests/boot/thatte-test-kernel.elf" \
        --root "$b/tests/boot/thatte-test-root.elf" --cmdline "thatte.check=1 two words" ||
        bail_out "cannot pack"
"$b/efi/thatte-mkesp" -o "$esp" "$packed" || bail_out "cannot build the ESP"

ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
qemu_start -machine q35 -m 4608 -smp 2 -cpu max -vga std "${ovmf_args[@]}" \
        -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"
done_re='^thatte-mk: test kernel: (painted [0-9]+x[0-9]+|bootinfo BAD.*|no framebuffer.*)'
wait_for_line "$serial_log" "$done_re|thatte-boot: cannot boot" "$marker_timeout"
diag "$(first_match "$serial_log" '^thatte-mk: test kernel: bootinfo.*')"
check "the test kernel accepts the boot information" grep -aq 'test kernel: bootinfo ok' "$serial_log"
check "it sees the command line" grep -aqF "cmdline 'thatte.check=1 two words'" "$serial_log"
line=$(first_match "$serial_log" 'test kernel: painted [0-9]+x[0-9]+')
if [ -z "$line" ]; then
        diag_file "$serial_log"
        not_ok "screendump taken (nothing painted)" && not_ok "gradient matches"
        finish
fi
check_screen_gradient "" "${line##* }" "$scratch/screen.ppm"
finish
