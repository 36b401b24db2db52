#!/bin/bash
# direct-panic.sh: the panic path without firmware. thatte.test=panic on
# the command line makes the kernel fault on purpose a few calls deep; it
# must print "thatte-mk: panic: REASON", the registers with CR2, and at
# least three backtrace lines "thatte-mk:   #N ADDR FUNCTION+0xOFF" whose
# FUNCTION is a function of thatte-mk.elf (nm) at ADDR - OFF.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"
. "$(dirname -- "$0")/panic-frames.sh"

marker_timeout=60
require_direct nm

plan 5

direct_start -machine q35 -m 128 -append thatte.test=panic
wait_for_line "$serial_log" '^thatte-mk: panic:' "$marker_timeout"
if ! check "panic line seen" test $? = 0; then
        diag_file "$serial_log"
        not_ok "registers with cr2" && not_ok "at least 3 backtrace frames" &&
                not_ok "frames name functions of thatte-mk.elf" &&
                not_ok "frame addresses are function + offset"
        finish
fi
diag "$(first_match "$serial_log" '^thatte-mk: panic:.*')"
# The kernel ends its report with "thatte-mk: halted".
wait_for_line "$serial_log" '^thatte-mk: halted' 30
check "registers with cr2" grep -aqE '^thatte-mk:   cr0 [0-9a-f]+ cr2 0*dead0000' "$serial_log"

check_panic_frames "$kernel" "$serial_log"
finish
