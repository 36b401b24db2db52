#!/bin/bash
# ovmf-screendump.sh: the QEMU + OVMF + QMP screendump plumbing on its own:
# boot the firmware with no disk to its shell, take a screendump, and check
# that the gradient checker reads it and rejects it (the firmware's screen
# is not THATTE's picture). Shows the integration tools can fail.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/lib.sh"

require_tool "$QEMU"
require_helpers
require_ovmf
plan 3

ovmf_drive_args || skip_all "cannot copy $OVMF_VARS"
qemu_start -machine q35 -m 256 -vga std "${ovmf_args[@]}"

# With nothing to boot, OVMF falls through to its built-in shell.
wait_for_line "$serial_log" 'UEFI Interactive Shell' 120
status=$?
if check "OVMF reaches its shell" test $status = 0; then
        diag "shell after $(seconds_since "$qemu_started_at") s"
        check "screendump taken" qemu_screendump "$scratch/screen.ppm"
        gradient_check "$scratch/screen.ppm"
        check "the firmware's screen is not the gradient" test $? = 1
else
        [ $status != 1 ] || diag "no shell within 120 s"
        diag_file "$serial_log"
        diag_file "$qemu_log"
        not_ok "screendump taken"
        not_ok "the firmware's screen is not the gradient"
fi
finish
