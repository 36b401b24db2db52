#!/bin/bash
# efi-hello.sh: the Day-0 pixel proof, end to end. thatte-mkesp puts
# thatte-hello.efi on an ESP image, QEMU (q35, OVMF, standard VGA in the
# firmware's default mode, headless, TCG unless THATTE_TEST_ACCEL says
# otherwise) boots it, the serial log must show "thatte-efi: painted WxH",
# and a QMP screendump must show the default gradient over a WxH screen.
#
# Runs against the build tree by default; THATTE_MKESP and THATTE_HELLO_EFI
# point it at installed programs instead (e.g. /usr/bin/thatte-mkesp and
# /usr/lib/thatte/efi/thatte-hello.efi from the thatte-efi package).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/lib.sh"

marker_timeout=120
mkesp=${THATTE_MKESP:-${top_builddir:+$top_builddir/efi/thatte-mkesp}}
hello=${THATTE_HELLO_EFI:-${top_builddir:+$top_builddir/efi/thatte-hello.efi}}
[ -n "$mkesp" ] && [ -n "$hello" ] ||
        bail_out "set top_builddir, or THATTE_MKESP and THATTE_HELLO_EFI"

require_tool "$QEMU" mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
require_helpers
[ -x "$mkesp" ] || bail_out "$mkesp: not built"
[ -f "$hello" ] || bail_out "$hello: not built"

plan 4

esp=$scratch/esp.img
if ! check "thatte-mkesp builds the ESP" "$mkesp" -o "$esp" "$hello"; then
        not_ok "marker seen" && not_ok "screendump taken" && not_ok "gradient matches"
        finish
fi

ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
qemu_start -machine q35 -m 256 -vga std "${ovmf_args[@]}" \
        -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$esp")"

marker='thatte-efi: painted [0-9]+x[0-9]+'
wait_for_line "$serial_log" "$marker" "$marker_timeout"
status=$?
if ! check "marker seen" test $status = 0; then
        [ $status != 1 ] || diag "no '$marker' within $marker_timeout s"
        diag_file "$serial_log"
        diag_file "$qemu_log"
        not_ok "screendump taken" && not_ok "gradient matches"
        finish
fi
diag "marker after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg})"
size=$(first_match "$serial_log" "$marker")
size=${size##* }
diag "screen $size"

screen=$scratch/screen.ppm
check_screen_gradient "" "$size" "$screen"
finish
