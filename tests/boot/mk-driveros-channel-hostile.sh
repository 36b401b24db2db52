#!/bin/bash
# mk-driveros-channel-hostile.sh: a hostile DriverOS process
# (tests/boot/chan-hostile.c, run by thatte-init in place of the
# compositor) against thatte-kvmm's ivshmem function, on one QEMU under
# `-cpu max`, booted directly: BAR2 programmed at 0, over guest RAM, over
# the framebuffer, beyond the physical address width and over BAR0 (each
# refused by the VMM, the channel unreachable meanwhile and back after),
# BAR sizing with decoding on, MSI-X garbage, a storm of 100000 doorbells.
# The VMM logs each refusal with its reason and at most 8 of them, the
# doorbell once; the root task's heartbeat still moves after the storm;
# the guest is never stopped and nothing fails.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/mk-driveros-lib.sh"

linux_timeout=${THATTE_KVMM_LINUX_TIMEOUT:-900}
prog=${top_builddir:+$top_builddir/tests/boot/chan-hostile}
prog_in_image=/usr/libexec/thatte-test/chan-hostile
[ -x "$prog" ] || skip_all "tests/boot/chan-hostile not built (make check builds it)"
mk_driveros_require

cmdline="console=ttyS0 panic=-1 thatte.compositor_path=$prog_in_image"
fail_re='^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: FAIL|^thatte-kvmm: guest stopped|chan-hostile: FAIL'
plan 12

mk_driveros_bundle "$cmdline" --add "$prog=$prog_in_image"
qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio"

wait_for_line "$serial_log" 'chan-hostile: (done|start)|'"$fail_re" "$linux_timeout"
check "the hostile process starts with the channel mapped" \
        grep -aq '^driveros: chan-hostile: start: channel ok' "$serial_log"
wait_for_line "$serial_log" 'chan-hostile: done|'"$fail_re" "$linux_timeout"
diag "done after $(seconds_since "$qemu_started_at") s"
for what in "at 0" "over guest RAM" "over the framebuffer" "beyond the physical address width" "over BAR0"; do
        check "BAR2 $what: the channel is not reachable there" \
                eval "grep -aqE '^driveros: chan-hostile: BAR2 $what \\(0x[0-9a-f]+\\): channel gone' \"\$serial_log\""
done
check "every move back finds the channel again" \
        eval '! grep -aq "chan-hostile: .*CHANNEL LOST" "$serial_log" &&
                test "$(grep -ac "^driveros: chan-hostile: BAR2 back: channel ok" "$serial_log")" = 5'
check "the VMM says why, each reason" \
        eval 'grep -aq "^thatte-kvmm: channel: BAR2 at 0x0 refused: over guest RAM or at 0" "$serial_log" &&
                grep -aq "^thatte-kvmm: channel: BAR2 at 0xc0000000 refused: over the framebuffer" "$serial_log" &&
                grep -aq "^thatte-kvmm: channel: BAR2 at 0x10000000000000 refused: outside the MMIO window" "$serial_log"'
check "MSI-X garbage: reserved vector-control bits read 0, nothing pending" \
        grep -aq '^driveros: chan-hostile: MSI-X garbage written: entry 1 control reads 0x0, PBA 0x0' "$serial_log"
check "the VMM's log stays bounded: at most 8 refusals, 1 doorbell line" \
        eval 'test "$(grep -ac "^thatte-kvmm: channel: BAR2 at .* refused" "$serial_log")" -le 8 &&
                test "$(grep -ac "^thatte-kvmm: channel: the guest rang" "$serial_log")" = 1'
check "100000 doorbells rung, and the root task's heartbeat still moves" \
        eval 'grep -aq "^driveros: chan-hostile: 100000 doorbells rung" "$serial_log" &&
                grep -aq "^driveros: chan-hostile: heartbeat moves after the storm" "$serial_log"'
check "no panic, failure or stopped guest" eval '! grep -aqE "$fail_re" "$serial_log"'
grep -a 'chan-hostile: \|^thatte-kvmm: channel' "$serial_log" | while read -r l; do diag "$l"; done
diag "$(grep -a '^thatte-kvmm: exits' "$serial_log" | tail -1)"
[ "$tap_failed" = 0 ] || diag_file "$serial_log" 60
qemu_stop
finish
