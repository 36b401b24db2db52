#!/bin/bash
# mk-driveros-input.sh: the PC's i8042 keyboard and mouse handed to
# DriverOS under thatte-mk by mediated passthrough (kernel/kvmm/i8042.c),
# on one QEMU under `-cpu max`, booted directly from a bundle like
# mk-driveros-boot.sh. Markers, each with a timeout:
#   - the VMM has the ports and IRQs; DriverOS's i8042 driver finds the
#     controller on 0x60/0x64 (the DSDT's PS2K/PS2M), atkbd its keyboard and
#     psmouse its mouse (input lines), and the compositor starts;
#   - a key sent by QMP reaches DriverOS's input layer: Alt+SysRq+H makes
#     Linux print its SysRq help (sysrq_always_enabled);
#   - mouse motion and a click raise IRQ 12 again and again (QEMU's count:
#     the controller raises it only after the guest read the byte before);
#   - the root task's window (the display channel, kernel/kvmm/chan.c):
#     QMP mouse motion onto it and a left click reach the root task as
#     `thatte-root: button 272 1 X Y` at the window's coordinates, then a
#     key typed into it (now focused) as `thatte-root: key 30 1` and `0`;
#   - hostile: Alt+SysRq+B makes DriverOS restart the machine the way
#     reboot=k says, by the keyboard controller's reset pulse (0xFE to
#     0x64): the VMM takes it as DriverOS's own reset, before the i8042's
#     passthrough (restart.c), and starts DriverOS again; the pulse never
#     reaches the real controller (no refusal of it logged: the filter
#     never saw it), QEMU keeps running (QMP query-status) and the machine
#     is not reset (thatte-mk booted once); the VMM resets the i8042's
#     mediation state for the new guest (restart.c), whose keyboard driver
#     finds the keyboard again through the passthrough.
# The other refused commands (0xD1 and its byte, A20,
# RAM writes, garbage) are host-tested in tests/kernel/vmm-i8042.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/mk-driveros-lib.sh"

mk_driveros_require

# The image's own command line (as mk-driveros-boot.sh: no workaround),
# with SysRq on and reboot=k so that a restart is the keyboard
# controller's reset pulse.
cmdline='console=ttyS0 panic=-1 reboot=k sysrq_always_enabled'
plan 21

mk_driveros_bundle "$cmdline"
qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio"

# keys QCODE...: one QMP send-key chord.
keys() {
        local list= k
        for k; do list="$list${list:+,}{\"type\":\"qcode\",\"data\":\"$k\"}"; done
        qmp "{\"execute\":\"send-key\",\"arguments\":{\"keys\":[$list],\"hold-time\":100}}" >/dev/null
}

# irq12: how often QEMU's I/O APIC saw IRQ 12 rise.
irq12() {
        qmp '{"execute":"human-monitor-command","arguments":{"command-line":"info irq"}}' |
                grep -oE '12: [0-9]+' | head -n 1 | cut -d' ' -f2
}

wait_for_line "$serial_log" "^thatte-kvmm: (i8042 passed|linux loaded|FAIL)|$fail_re" "$boot_timeout"
check "the VMM gets the i8042's ports and IRQs" \
        grep -aq '^thatte-kvmm: i8042 passed through (mediated): ports 0x60 0x64, IRQ 1 and 12' "$serial_log"
wait_for_line "$serial_log" '^driveros: thatte-compositor: |'"$fail_re" "$linux_timeout"
diag "the compositor after $(seconds_since "$qemu_started_at") s"
check "DriverOS's compositor on the handed-over framebuffer" \
        grep -aqE '^driveros: thatte-compositor: fbdev [0-9]+x[0-9]+ .* on /dev/fb0' "$serial_log"
# Linux numbers the I/O APIC's GSI 1 and 12 (the DSDT's PS2K and PS2M) as
# it likes; the VMM's first-interrupt lines name the GSIs.
check "DriverOS finds the controller: KBD port at 0x60,0x64" \
        grep -aqE '^driveros: .*serio: i8042 KBD port at 0x60,0x64 irq [0-9]+' "$serial_log"
check "and the AUX port" grep -aqE '^driveros: .*serio: i8042 AUX port at 0x60,0x64 irq [0-9]+' "$serial_log"
wait_for_line "$serial_log" '^driveros: .*input: .*PS/2.* Mouse as ' 60
check "atkbd's keyboard is an input device" \
        grep -aqE '^driveros: .*input: AT Translated Set 2 keyboard as .*/serio0/' "$serial_log"
check "psmouse's mouse is an input device" grep -aqE '^driveros: .*input: .*PS/2.* Mouse as ' "$serial_log"
grep -aE '^driveros: .*(i8042|serio|atkbd|psmouse|input:)' "$serial_log" | while read -r l; do diag "$l"; done

keys alt sysrq h
wait_for_line "$serial_log" '^driveros: .*sysrq: HELP' 120
check "a key sent by QMP reaches DriverOS's input layer (SysRq help)" \
        grep -aqE '^driveros: .*sysrq: HELP' "$serial_log"
# The root task's window: the compositor logs its content's place; its
# pointer starts at the screen's centre (compositor/input.c).
wait_for_line "$serial_log" '^driveros: thatte-compositor: client thatte-mk 640x400 at |'"$fail_re" 120
wait_for_line "$serial_log" '^thatte-root: channel: frame 1 shown|'"$fail_re" 120
check "the root task's window is on DriverOS's screen (frame 1 shown)" \
        grep -aq '^thatte-root: channel: frame 1 shown' "$serial_log"
read -r scr_w scr_h < <(grep -aoE '^driveros: thatte-compositor: fbdev [0-9]+x[0-9]+' "$serial_log" |
        head -n 1 | grep -oE '[0-9]+x[0-9]+' | tr x ' ')
read -r win_x win_y < <(grep -aoE '^driveros: thatte-compositor: client thatte-mk 640x400 at [0-9]+,[0-9]+' \
        "$serial_log" | head -n 1 | grep -oE '[0-9]+,[0-9]+$' | tr , ' ')
# Aim at (100, 60) inside the window, in PS/2 steps of at most 50 counts
# (one packet each, no overflow).
want_x=100 want_y=60
dx=$((${win_x:-0} + want_x - ${scr_w:-0} / 2)) dy=$((${win_y:-0} + want_y - ${scr_h:-0} / 2))
diag "screen ${scr_w}x$scr_h, window content at $win_x,$win_y: pointer moves by $dx,$dy"
# rel AXIS N: QEMU's PS/2 mouse moves by N counts along AXIS.
rel() {
        qmp "{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[{\"type\":\"rel\",\"data\":{\"axis\":\"$1\",\"value\":$2}}]}}" >/dev/null
}
# move AXIS N: N counts along AXIS in steps of at most 50.
move() {
        local left=$2 step
        while [ "$left" != 0 ]; do
                step=$((left > 50 ? 50 : left < -50 ? -50 : left))
                rel "$1" "$step"
                left=$((left - step))
        done
}
# button DOWN: the left button, pressed (true) or released (false).
button() {
        qmp "{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[{\"type\":\"btn\",\"data\":{\"down\":$1,\"button\":\"left\"}}]}}" >/dev/null
}
# key QCODE DOWN: one key event, pressed (true) or released (false).
key() {
        qmp "{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[{\"type\":\"key\",\"data\":{\"down\":$2,\"key\":{\"type\":\"qcode\",\"data\":\"$1\"}}}]}}" >/dev/null
}
irq12_before=$(irq12)
move x "$dx"
move y "$dy"
button true
button false
# The click focuses the window (compositor/session.c) and reaches the root
# task as BTN_LEFT (272) at the window's coordinates; then the keys go to it.
wait_for_line "$serial_log" '^thatte-root: button 272 0 |'"$fail_re" 120
grep -aE '^thatte-root: (button|motion|focus|key) ' "$serial_log" | tail -n 4 | while read -r l; do diag "$l"; done
check "a click over the window reaches the root task: button 272 1 at $want_x $want_y" \
        grep -aq "^thatte-root: button 272 1 $want_x $want_y[[:space:]]*\$" "$serial_log"
check "and its release: button 272 0 at $want_x $want_y" \
        grep -aq "^thatte-root: button 272 0 $want_x $want_y[[:space:]]*\$" "$serial_log"
# The controller raises IRQ 12 again only once the guest has read the
# byte before: QEMU's count of IRQ 12 rising after the motion and the click
# says the packets went through the VMM into DriverOS.
check "mouse motion and a click interrupt on IRQ 12 and are read ($irq12_before, then $(irq12))" \
        test "$(irq12)" -ge $((irq12_before + 6))
key a true
key a false
wait_for_line "$serial_log" '^thatte-root: key 30 0[[:space:]]*$|'"$fail_re" 120
check "a key typed into the focused window reaches the root task: key 30 1 (KEY_A down)" \
        grep -aq '^thatte-root: key 30 1[[:space:]]*$' "$serial_log"
check "and its release: key 30 0" grep -aq '^thatte-root: key 30 0[[:space:]]*$' "$serial_log"

# Hostile: DriverOS pulses the reset line through the controller.
keys alt sysrq b
wait_for_line "$serial_log" '^thatte-kvmm: DriverOS crashed|'"$fail_re" 120
diag "$(grep -a '^thatte-kvmm: guest stopped' "$serial_log")"
check "the reset pulse (0xFE to 0x64) is DriverOS's reset: the VMM starts it again" \
        grep -aqE '^thatte-kvmm: DriverOS crashed \(a reset through port 0x64 or 0xcf9\); restart 1 ' "$serial_log"
check "the pulse never went on towards the real controller (the i8042's filter never saw it)" \
        eval '! grep -aq "^thatte-kvmm: i8042: refused command 0xfe" "$serial_log"'
# After its back-off and zeroing guest RAM, the VMM makes the devices fresh.
wait_for_line "$serial_log" '^thatte-kvmm: (i8042: passthrough reset|linux loaded: .*thatte.restart=1)|'"$fail_re" 120
check "the VMM resets the i8042's passthrough for the restarted DriverOS (after the crash line)" \
        eval 'awk "/^thatte-kvmm: DriverOS crashed/ { c = 1 } c && /^thatte-kvmm: i8042: passthrough reset for the restarted guest/ { f = 1 } END { exit !f }" "$serial_log"'
# The restarted DriverOS's keyboard driver probes the controller through
# the passthrough: its ACKs come by IRQ 1, so a second keyboard line says
# the host line was left acknowledged.
kbd_lines() { grep -acE '^driveros: .*input: AT Translated Set 2 keyboard as ' "$serial_log"; }
kbd_end=$((SECONDS + 300))
while [ "$(kbd_lines)" -lt 2 ] && [ "$SECONDS" -lt "$kbd_end" ] && ! grep -aqE "$fail_re" "$serial_log"; do
        sleep 0.1
done
check "the restarted DriverOS finds its keyboard again through the passthrough" test "$(kbd_lines)" -ge 2
state=$(qmp '{"execute":"query-status"}' | grep -oE '"status": "[a-z-]+"' | head -n 1)
check "QEMU keeps running after DriverOS's restart ($state)" test "$state" = '"status": "running"'
check "the machine was not reset: thatte-root ready once" \
        test "$(grep -ac '^thatte-root: ready' "$serial_log")" = 1
check "the i8042's refusals are logged boundedly (at most 12 lines)" \
        test "$(grep -ac '^thatte-kvmm: i8042: refused' "$serial_log")" -le 12
check "no panic or failure of thatte-mk, the root task or the VMM" \
        eval '! grep -aqE "$fail_re" "$serial_log"'
qemu_stop
finish
