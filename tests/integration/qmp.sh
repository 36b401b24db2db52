#!/bin/bash
# qmp.sh: thatte-test-qmp against a real QEMU monitor (no guest, no firmware):
# replies are printed, an error reply fails with QEMU's description, and a
# vanished QEMU is a failure, not a hang.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/lib.sh"

require_tool "$QEMU"
require_helpers
plan 7

qemu_start -machine none

out=$(qmp '{"execute":"query-status"}')
check "query-status returns" test $? = 0
case $out in
'{"return": {'*'"status": '*) ok "the reply line is printed" ;;
*) not_ok "the reply line is printed"; diag "got: $out" ;;
esac

out=$(qmp '{"execute":"query-version"}' '{"execute":"query-name"}')
check "two commands give two reply lines" test "$(printf '%s\n' "$out" | grep -c '^{"return"')" = 2

qmp '{"execute":"no-such-command"}' '{"execute":"query-status"}' >"$scratch/out" 2>"$scratch/err"
status=$?
if [ $status = 1 ] && grep -q 'no-such-command has not been found' "$scratch/err" &&
        ! grep -q '"status"' "$scratch/out"; then
        ok "an error reply exits 1 with its desc and stops there"
else
        not_ok "an error reply exits 1 with its desc and stops there"
        diag "exit status $status"
        diag_file "$scratch/err"
fi

qmp '{"execute":"quit"}' >"$scratch/out"
check "quit returns" test $? = 0
check "QEMU exits after quit" qemu_wait_exit 30

"$test_qmp" --wait 0.5 \
        "$qmp_socket" '{"execute":"query-status"}' 2>"$scratch/err"
check "no QEMU: gives up after --wait with status 1" test $? = 1
finish
