#!/bin/bash
# direct-boot.sh: the fast development loop. QEMU -kernel boots thatte-mk
# through its PVH entry with the root task as -initrd (no firmware): the
# kernel logs, the root task starts in ring 3 and ends with
# "thatte-root: ready". Under -icount shift=0 the TSC counts instructions,
# so the figures the kernel and the root task print are instruction
# counts: the IPC round trip (goal: at most 400) is checked, the kernel
# entry to root task figure reported. A child thread of the root task
# prints a root-task line in pieces through a badged DebugConsole cap:
# the kernel must have started its line with thatte-user[51]:, and no
# line may start with it. The root task then says the most bytes one
# DEBUG_PUT step handed the UART meanwhile: at most 16 (one FIFO).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=120
require_direct

plan 9

direct_start -machine pc -m 256 -icount shift=0
wait_for_line "$serial_log" '^thatte-mk: .*thatte-mk starting \(PVH boot\)' "$marker_timeout"
check "kernel log starts (PVH entry)" test $? = 0
wait_for_line "$serial_log" '^thatte-mk: .*entering the root task' "$marker_timeout"
check "kernel enters the root task" test $? = 0
wait_for_line "$serial_log" '^thatte-root: ' "$marker_timeout"
check "root task prints from ring 3" test $? = 0
direct_wait "$marker_timeout"
if ! check "root task ready" test $? = 0; then
        diag_file "$serial_log"
        diag_file "$qemu_log"
fi
diag "ready after $(seconds_since "$qemu_started_at") s (accel ${THATTE_TEST_ACCEL:-tcg}, -icount shift=0)"
entry=$(first_match "$serial_log" '^thatte-root: kernel entry to root task [0-9]+ instructions')
ipc=$(first_match "$serial_log" '^thatte-root: ipc round trip [0-9]+ instructions')
entry=${entry#thatte-root: } ipc=${ipc#thatte-root: }
diag "${entry:-no kernel entry figure}"
diag "${ipc:-no ipc figure}"
n=${ipc#ipc round trip }
n=${n%% *}
check "ipc round trip at most 400 instructions (${n:-none})" test -n "$n" -a "${n:-999999}" -le 400
check "a child's line carries the kernel's prefix" \
        grep -aqE '^thatte-user\[51\]: thatte-root: spoof' "$serial_log"
check "no child line passes for the root task's" \
        eval '! grep -aqE "^thatte-root: spoof" "$serial_log"'
steps=$(first_match "$serial_log" '^thatte-root: console: .*steps of at most [0-9]+ bytes')
steps=${steps##*at most } steps=${steps%% *}
check "a DEBUG_PUT step hands the UART 1 to 16 bytes (${steps:-none})" \
        test -n "$steps" -a "${steps:-0}" -ge 1 -a "${steps:-99}" -le 16
check "no kernel panic" eval '! grep -aq "^thatte-mk: panic:" "$serial_log"'
finish
