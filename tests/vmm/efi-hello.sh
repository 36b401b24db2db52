#!/bin/bash
# tests/vmm/efi-hello.sh: thatte-vmm with real QEMU and OVMF, headless,
# TCG unless THATTE_TEST_ACCEL says otherwise. `start` the efi-hello
# profile, wait for "thatte-efi: painted WxH" in serial.log, `screenshot`
# and check the gradient, `status --json` says running, a second `start` is
# refused, `stop` leaves no process and no runtime file; then `run` on a
# pseudo-terminal, Ctrl-C once the picture is painted, stops cleanly (and
# with Ctrl-C pressed twice, at once). The app ignores the power button, so
# both `stop` and `run`'s Ctrl-C press it again and again (`events` shows
# each POWERDOWN) before they fall back to quit.
#
# Uses the build tree; THATTE_VMM and THATTE_VMM_PROFILE (a profile with its
# ESP image next to it) point it at the installed thatte-vmm instead.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"
use_efi_hello

vmm_cleanup() {
        "$vmm" kill efi-hello >/dev/null 2>&1
        lib_cleanup
}
trap vmm_cleanup EXIT

plan 20

check "start" "$vmm" start "$profile" --accel "$accel" || bail_out "cannot start the VM"
pid=$(cat "$rundir/pid")
status=$("$vmm" status efi-hello --json)
diag "$status"
check "status --json says running" grep -q '"state":"running"' <<<"$status"
check "status --json names the pid" grep -q "\"pid\":$pid," <<<"$status"
check "runtime folder is private" test "$(stat -c %a "$rundir")" = 700
check "QMP socket is private" test "$(stat -c %a "$rundir/qmp.sock")" = 600
if ! check "marker in serial.log" wait_for_line "$rundir/serial.log" "$marker" 180; then
        diag_file "$rundir/serial.log"
        diag_file "$rundir/qemu.log"
fi
size=$(first_match "$rundir/serial.log" "$marker")
size=${size##* }
check "screenshot as PPM" "$vmm" screenshot efi-hello -o "$scratch/screen.ppm"
check "gradient matches" gradient_check --expect-size "$size" "$scratch/screen.ppm"
check "screenshot as PNG" "$vmm" screenshot efi-hello -o "$scratch/screen.png"
check "PNG signature" cmp -n 8 "$scratch/screen.png" <(printf '\211PNG\r\n\032\n')
# One console client at a time. The first one's input is a FIFO held open
# here, so it stays attached until killed; until it has attached, a second
# client may get in first (and is ended by timeout), so try a few times.
mkfifo "$scratch/console.in"
exec 9<>"$scratch/console.in"
console_pid=
for ((i = 0; i < 10; i++)); do
        if [ -z "$console_pid" ] || ! kill -0 "$console_pid" 2>/dev/null; then
                "$vmm" console efi-hello <"$scratch/console.in" >"$scratch/console.log" 2>&1 &
                console_pid=$!
                sleep 0.5
        fi
        timeout 3 "$vmm" console efi-hello </dev/null >"$scratch/console2.log" 2>&1
        grep -q "another console is attached" "$scratch/console2.log" && break
done
check "second console refused" grep -q "another console is attached" "$scratch/console2.log"
kill "$console_pid" 2>/dev/null
wait "$console_pid" 2>/dev/null
exec 9>&-
check "second start refused" test "$("$vmm" start "$profile" --accel "$accel" 2>&1; echo $?)" != 0
check "first VM untouched" test "$(cat "$rundir/pid" 2>/dev/null)" = "$pid" -a -d "/proc/$pid"
# powerdowns FILE: how many POWERDOWN events `events --follow` wrote to FILE.
powerdowns() { grep -c '"event":"POWERDOWN"' "$1"; }
"$vmm" events efi-hello --follow >"$scratch/stop-events.jsonl" 2>&1 &
events_pid=$!
sleep 0.5
stop_started=$(date +%s.%N)
check "stop" "$vmm" stop efi-hello --timeout 10
diag "stop took $(seconds_since "$stop_started") s (the app ignores ACPI power-down)"
wait "$events_pid"
check "stop pressed the power button again while the guest ignored it" \
        test "$(powerdowns "$scratch/stop-events.jsonl")" -ge 2 || diag_file "$scratch/stop-events.jsonl"
check "no QEMU process left" test ! -d "/proc/$pid"
check "no runtime files left" test ! -e "$rundir"

"$vmm" events efi-hello --follow >"$scratch/run-events.jsonl" 2>&1 &
events_pid=$!
"$pty" --wait-for "thatte-efi: painted" --timeout 300 -- \
        "$vmm" run "$profile" --accel "$accel" >"$scratch/run.log" 2>&1
status=$?
check "run under a terminal: Ctrl-C stops it, exit 0, nothing left" \
        test "$status" = 0 -a ! -e "$rundir"
[ "$status" = 0 ] || diag_file "$scratch/run.log"
wait "$events_pid"
check "run: after Ctrl-C the power button was pressed again" \
        test "$(powerdowns "$scratch/run-events.jsonl")" -ge 2 || diag_file "$scratch/run-events.jsonl"

"$pty" --wait-for "thatte-efi: painted" --interrupts 2 --timeout 300 -- \
        "$vmm" run "$profile" --accel "$accel" >"$scratch/run2.log" 2>&1
status=$?
check "run: Ctrl-C twice forces the end, exit 0, nothing left" \
        test "$status" = 0 -a ! -e "$rundir" -a -z "$(grep -l -- "$rundir/qmp.sock" /proc/[0-9]*/cmdline 2>/dev/null)"
[ "$status" = 0 ] || diag_file "$scratch/run2.log"
finish
