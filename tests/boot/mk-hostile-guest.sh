#!/bin/bash
# mk-hostile-guest.sh: thatte-kvmm (kernel/kvmm/) with a hostile guest in
# DriverOS's place: kernel/kvmm/hostile/'s bzImage as the `driveros-kernel`
# module, its phases named on the `driveros-cmdline` module, packed by
# `thatte-mkboot --direct` and booted by QEMU -kernel under `-cpu max`
# with `thatte.test=kvmm-alive` (the root task prints `thatte-root: alive
# N` every few seconds at the VMM's priority once ready).
# Boot 1: ports (garbage to all 65536, each width, read back), MSRs (three
# ranges), the x2APIC (IPIs, EOI, write-only reads), EFER (SVME, reserved
# bits, LME under paging), string and REP port I/O, XSETBV/VMMCALL/the SVM
# instructions, control and debug registers, the xAPIC and I/O APIC
# register pages (MMIO the VMM decodes), each survived by the guest;
# then four touches of memory it was not given (above RAM, the PCI
# window, where no HPET is, the screen's edge), each a logged stop and a restart; then
# it spins with interrupts off and the root task still prints `alive`.
# Boot 2: 2^40 (past the guest's physical address width: its own #PF),
# reserved control-register bits (#GP on a CPU; QEMU's TCG takes
# some, and VMRUN then refuses the state: a stop), 2^39, HLT with
# interrupts off, the keyboard controller's reset pulse, a string move
# onto the xAPIC page and a triple fault until the VMM gives up (the crash-loop
# bound: 5 restarts in a row), the root task alive after it.
# Both: the VMM's refusals logged a bounded number of times, the guest's
# spoofed lines only behind `driveros: `, its lines printable ASCII, no
# panic or FAIL.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/chain-inputs.sh"

guest=${THATTE_HOSTILE_GUEST:-${top_builddir:+$top_builddir/kernel/kvmm/hostile/thatte-hostile-guest}}
timeout=${THATTE_HOSTILE_TIMEOUT:-600}
[ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf and thatte-root.elf not built"
[ -x "$mkboot" ] || skip_all "thatte-mkboot not built"
[ -f "$guest" ] || skip_all "the hostile guest is not built"
require_tool "$QEMU"
fail_re='^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: FAIL'
plan 39

# boot NAME PHASES: packs and starts it.
boot() {
        "$mkboot" --direct -o "$scratch/$1.cpio" --root "$root" --guest-kernel "$guest" \
                --guest-cmdline "hostile=$2" >"$scratch/mkboot.log" 2>&1 ||
                { diag_file "$scratch/mkboot.log"; bail_out "thatte-mkboot --direct made no bundle"; }
        qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/$1.cpio" \
                -append thatte.test=kvmm-alive
}

# line_of REGEX: the number of the first line matching (0: none).
line_of() {
        local n
        n=$(grep -anE -m1 -- "$1" "$serial_log" | cut -d: -f1)
        echo "${n:-0}"
}

# alive_after REGEX: a root liveness line after the first line matching REGEX.
alive_after() {
        local at
        at=$(line_of "$1")
        [ "$at" -gt 0 ] && awk -v at="$at" 'NR > at && /^thatte-root: alive [0-9]+/ { f = 1 } END { exit !f }' \
                "$serial_log"
}

not_ascii=$'[^[:print:]\t\r]'  # the console ends lines with CR LF
# bounded NAME: the VMM's refusal lines few, the log small, no spoof, no failure.
bounded() {
        check "$1: at most 8 refused-MSR lines" \
                test "$(grep -acE '^thatte-kvmm: guest (read|write) of MSR' "$serial_log")" -le 8
        check "$1: at most 8 other refusal lines" \
                test "$(grep -acE '^thatte-kvmm: guest (string|SVM) .* refused \(' "$serial_log")" -le 8
        check "$1: the serial log stays small ($(wc -l <"$serial_log") lines)" \
                test "$(wc -c <"$serial_log")" -lt 65536
        check "$1: no guest line passes for another component's" \
                eval '[ "$(grep -ac "^thatte-root: ready" "$serial_log")" = 1 ] &&
                        ! grep -aq "^thatte-mk: panic: spoofed" "$serial_log"'
        check "$1: the guest's lines are printable ASCII (its garbage to COM1 shown as ?)" \
                eval '! grep -a "^driveros: " "$serial_log" | LC_ALL=C grep -aq "$not_ascii"'
        check "$1: no panic or failure of thatte-mk, the root task or the VMM" \
                eval '! grep -aqE "$fail_re" "$serial_log"'
}

boot one ports,msrs,x2apic,efer,strio,svm,crdr,xapic,ioapic,touch-above,touch-hole,touch-hpet,touch-fbedge,spin
wait_for_line "$serial_log" '^driveros: hostile: started|'"$fail_re" 300
check "one: the VMM boots the hostile bzImage" grep -aq '^driveros: hostile: started at 0x1000000, restart 0' "$serial_log"
for p in ports msrs x2apic efer strio svm crdr xapic ioapic; do
        wait_for_line "$serial_log" "^driveros: hostile: $p survived|^thatte-kvmm: DriverOS crashed|$fail_re" "$timeout"
        check "one: the guest survives phase $p" grep -aq "^driveros: hostile: $p survived" "$serial_log"
done
diag "one: $(grep -a '^driveros: hostile: \(ports\|msrs\|x2apic\|efer\|strio\|svm\|crdr\):' "$serial_log" | tr '\n' ' ')"
check "one: EFER refuses SVME, reserved bits and LME under paging" \
        grep -aq '^driveros: hostile: efer .*SVME refused, reserved bit refused, LME cleared refused' "$serial_log"
check "one: string and REP port I/O fault (#GP), never reach a device" \
        grep -aq '^driveros: hostile: strio: rep outsb faulted, rep outsb to COM1 faulted, outsb faulted, rep insw faulted, rep insw huge faulted' "$serial_log"
check "one: XSETBV, VMMCALL and the SVM instructions fault, INVD does not" \
        grep -aq '^driveros: hostile: svm: 6 of 7 faulted .*invd done' "$serial_log"
check "one: the spoofed lines show only behind driveros: " \
        grep -aq '^driveros: thatte-mk: panic: spoofed' "$serial_log"
n=1
for p in above hole hpet fbedge; do
        wait_for_line "$serial_log" "^driveros: hostile: started at .*, restart $n,|$fail_re" "$timeout"
        check "one: touch-$p stops the guest (logged) and the VMM restarts it ($n)" \
                eval "grep -aqE '^thatte-kvmm: DriverOS crashed \(access to guest-physical memory it was not given\); restart $n ' \"\$serial_log\" &&
                        grep -aq '^driveros: hostile: started at .*, restart $n,' \"\$serial_log\""
        n=$((n + 1))
done
wait_for_line "$serial_log" '^driveros: hostile: spinning with interrupts off' "$timeout"
at=$(line_of '^driveros: hostile: spinning')
end=$((SECONDS + 120))
until alive_after '^driveros: hostile: spinning' || [ "$SECONDS" -ge "$end" ]; do sleep 1; done
check "one: the root task is alive while the guest spins with interrupts off" \
        alive_after '^driveros: hostile: spinning'
bounded one
grep -a '^thatte-kvmm: \(exits\|guest stopped\)' "$serial_log" | tail -3 | while read -r l; do diag "one: $l"; done
qemu_stop
cp -- "$serial_log" "$scratch/one.log"

boot two beyond,crbad,touch-high,hltcli,reset,mmio-odd,triple
wait_for_line "$serial_log" '^thatte-kvmm: DriverOS crashed .*giving up|'"$fail_re" "$timeout"
check "two: 2^40, past the guest's 40 physical address bits, faults in the guest itself" \
        grep -aqE '^driveros: hostile: read 0x10000000000: faulted' "$serial_log"
check "two: 2^39 (not given) stops the guest, and it is restarted" \
        grep -aqE '^thatte-kvmm: DriverOS crashed \(access to guest-physical memory it was not given\); restart 2 ' "$serial_log"
check "two: reserved control-register bits fault, or (TCG takes them) VMRUN refuses the state" \
        grep -aqE '^driveros: hostile: crbad: 5 of 5 writes faulted|^thatte-kvmm: DriverOS crashed \(VMRUN refused the state\); restart 1 ' "$serial_log"
check "two: HLT with interrupts off stops the guest" \
        grep -aqE '^thatte-kvmm: DriverOS crashed \(hlt with interrupts off\); restart 3 ' "$serial_log"
check "two: a reset through the keyboard controller stops the guest, and it is restarted" \
        grep -aqE '^thatte-kvmm: DriverOS crashed \(a reset through port 0x64 or 0xcf9\); restart 4 ' "$serial_log"
check "two: an MMIO access the decoder does not take stops the guest, and it is restarted" \
        grep -aqE '^thatte-kvmm: DriverOS crashed \(an MMIO instruction it cannot fetch or decode\); restart 5 ' "$serial_log"
check "two: a triple fault stops the guest; after 5 restarts in a row the VMM gives up, and says so" \
        eval '[ "$(grep -ac "^thatte-kvmm: DriverOS crashed .*; restart [0-9]" "$serial_log")" = 5 ] &&
                grep -aq "^thatte-kvmm: DriverOS crashed (triple fault) 6 times in a row.*giving up" "$serial_log"'
end=$((SECONDS + 120))
until alive_after 'giving up' || [ "$SECONDS" -ge "$end" ]; do sleep 1; done
check "two: the root task is alive after the VMM gave up" alive_after 'giving up'
bounded two
qemu_stop
cp -- "$serial_log" "$scratch/two.log"
finish
