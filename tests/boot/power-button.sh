#!/bin/bash
# power-button.sh: the ACPI power button under thatte-mk, direct boots (PVH
# under SeaBIOS's tables) on the q35 and pc machines. The kernel reads the
# FADT and \_S5 (`acpi: power: ...`), the root task takes the SCI and the
# PM1 ports and says `power: ACPI power button on SCI IRQ 9 ...` before
# ready; QMP system_powerdown must then end QEMU by itself, after
# `thatte-root: power button` and `thatte-root: power off: S5 ...` in that
# order. Hostile: a storm of 40 presses in one QMP session must power off
# once, cleanly. (A child without an I/O port cap cannot write the PM1
# control block at all: the hostile children's `out` case,
# tests/boot/direct-hostile.sh. The UEFI boot: tests/boot/vmm-profiles.sh
# stops thatte-mk through thatte-vmm and wants "powered down".)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=180
require_direct

powerdown='{"execute":"system_powerdown"}'

# press_and_check NAME PRESSES: boots, presses, six test points.
press_and_check() {
        local name=$1 presses=$2 cmds=() i
        for ((i = 0; i < presses; i++)); do cmds+=("$powerdown"); done
        direct_wait "$marker_timeout"
        if ! check "$name: ready" test $? = 0; then
                diag_file "$serial_log"
        fi
        check "$name: kernel read the FADT and \\_S5" \
                grep -aqE '^thatte-mk: .*acpi: power: SCI IRQ 9, .*flags 3' "$serial_log"
        check "$name: root armed the button before ready" \
                awk '/^thatte-root: power: ACPI power button on SCI IRQ 9 /{a=NR}
                     /^thatte-root: ready/{r=NR} END{exit !(a && r && a < r)}' "$serial_log"
        # A storm may find QEMU gone before its last press: that is no failure.
        "$test_qmp" --wait 30 --timeout 30 "$qmp_socket" "${cmds[@]}" >/dev/null 2>&1
        check "$name: QEMU exits by itself after the power button" qemu_wait_exit 120
        check "$name: power button, then power off, once each" \
                awk '/^thatte-root: power button/{b++; bl=NR}
                     /^thatte-root: power off: S5, SLP_TYP [0-7] through PM1a control /{o++; ol=NR}
                     END{exit !(b == 1 && o == 1 && bl < ol)}' "$serial_log"
        check "$name: no FAIL, no panic, still on" \
                eval '! grep -aqE "^thatte-root: FAIL|^thatte-mk: panic:|machine is still on" "$serial_log"'
        qemu_stop
}

plan 12
direct_start -machine q35 -m 256
press_and_check q35 1
direct_start -machine pc -m 256
press_and_check "pc, a storm of 40 presses" 40
finish
