#!/bin/bash
# direct-panic.sh: the panic path without firmware. thatte.test=panic on
# the command line makes the kernel fault on purpose a few calls deep; it
# must print "thatte-mk: panic: REASON", the registers with CR2, and at
# least three backtrace lines "thatte-mk:   #N ADDR FUNCTION+0xOFF" whose
# FUNCTION is a function of thatte-mk.elf (nm) at ADDR - OFF.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=60
require_direct nm

plan 5

direct_start -machine q35 -m 128 -append thatte.test=panic
wait_for_line "$serial_log" 'thatte-mk: panic:' "$marker_timeout"
if ! check "panic line seen" test $? = 0; then
        diag_file "$serial_log"
        not_ok "registers with cr2" && not_ok "at least 3 backtrace frames" &&
                not_ok "frames name functions of thatte-mk.elf" &&
                not_ok "frame addresses are function + offset"
        finish
fi
diag "$(first_match "$serial_log" 'thatte-mk: panic:.*')"
# The kernel halts after the backtrace: wait for its last frame (the
# frames end with the boot entry's caller chain, arch_main at the latest).
wait_for_line "$serial_log" 'thatte-mk:   #[0-9]+ 0x[0-9a-f]+ arch_main\+' 30
check "registers with cr2" grep -aqE 'thatte-mk:   cr0 [0-9a-f]+ cr2 0*dead0000' "$serial_log"

frame_re='thatte-mk:   #[0-9]+ 0x[0-9a-f]+ [A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+'
frames=$(grep -aoE -- "$frame_re" "$serial_log")
diag "$frames"
check "at least 3 backtrace frames" test "$(printf '%s\n' "$frames" | grep -c .)" -ge 3

nm "$kernel" | awk '$2 ~ /^[tT]$/ { print $3, $1 }' >"$scratch/symbols"
named=0 exact=0 total=0
while read -r _ _ addr place; do
        fn=${place%+*} off=${place##*+}
        total=$((total + 1))
        value=$(awk -v f="$fn" '$1 == f { print $2; exit }' "$scratch/symbols")
        [ -n "$value" ] || { diag "not a function of thatte-mk.elf: $fn"; continue; }
        named=$((named + 1))
        [ $((16#$value + off)) = $((16#${addr#0x})) ] && exact=$((exact + 1))
done <<<"$frames"
check "frames name functions of thatte-mk.elf ($named of $total)" test "$total" -ge 3 -a "$named" = "$total"
check "frame addresses are function + offset ($exact of $total)" test "$total" -ge 3 -a "$exact" = "$total"
finish
