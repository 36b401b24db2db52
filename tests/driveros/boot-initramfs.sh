#!/bin/bash
# boot-initramfs.sh: the default DriverOS image boots under QEMU (TCG) to the
# gradient: thatte-init loads the modules and starts the compositor, whose
# marker and thatte-init's "ready" reach the serial port; the screen is the
# default picture (thatte-vmm screenshot); `thatte-vmm stop` (QMP
# system_powerdown, the ACPI power button) makes thatte-init power it off.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_tool "$QEMU"
require_helpers
require_vmm
plan 7

img=$scratch/img
if ! check "image built" drv_build "$img"; then
        for i in 2 3 4 5 6 7; do not_ok "skipped: no image"; done
        finish
fi
if ! check "thatte-vmm start" drv_vmm_start "$img"; then
        diag_file "$qemu_log"
fi
drv_vmm_check_boot initramfs
finish
