#!/bin/bash
# direct-hostile.sh: the hostile-children test of thatte-mk. The direct
# boot with thatte.test=hostile makes the root task run
# kernel/root/hostile*.c: child threads in address spaces and CSpaces of
# their own execute privileged and stray instructions, enter every
# syscall with every register at all-ones, pass kernel and non-canonical
# addresses, out-of-range sizes, depths and guards, map page tables twice,
# revoke mapped memory, delete their own TCB and revoke their own VSpace
# and CSpace, lose their IPC buffer mid-call and print lines that look
# like kernel and root markers. The root prints one line per case,
# "thatte-root: hostile CASE ok|FAIL why", then a verdict; this test wants
# every case ok, the verdict, ready after it (the system still works),
# one boot only (no reset), no kernel panic, and none of the spoofed lines
# at the start of a line of the console.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=900
require_direct

cases="insn-hlt insn-cli insn-sti insn-in insn-out insn-rdmsr insn-wrmsr insn-lgdt
insn-lidt insn-ltr insn-mov-cr3 insn-mov-cr0 insn-invlpg insn-swapgs insn-int3 insn-ud2
insn-int-0x80 insn-int-pf insn-int-gp insn-int-df insn-int-irq insn-int-timer
insn-int-spurious insn-load-kernel-ds insn-div0 insn-load-tss-gs insn-wrfsbase insn-wrgsbase
insn-iret-ring0 insn-flags-df-ac-nt
regs-rip-kernel-noncanonical regs-tls-base-kernel-noncanonical regs-rip-unmapped regs-rsp-noncanonical regs-rsp-kernel
sys-every-number-all-ones sys-every-cap-all-ones sys-every-method-all-ones
retype-out-of-range retype-preempted-untyped-deleted cnode-out-of-range
table-copy-maps-twice table-unmap-remap table-unmapped-copy-maps-twice table-copy-stale-tlb
forge-cap-through-stale-mapping
revoke-mapped-frame revoke-mapped-table self-delete-tcb self-delete-tcb-with-last-vspace-cap
self-revoke-vspace
self-revoke-cspace ipc-buffer-deleted-mid-call map-bad-addresses ipc-buffer-bad-addresses
debug-output-spoof"
ncases=$(echo $cases | wc -w)

plan $((ncases + 7))

# 1 GiB: one case retypes 256 MiB (several timeslices of zeroing).
direct_start -machine pc -m 1024 -icount shift=0 -append thatte.test=hostile
# Anchored: a spoofed marker in the middle of a line must not end the wait.
wait_for_line "$serial_log" '^thatte-root: (hostile verdict|FAIL)|^thatte-mk: (panic:|halted)' \
        "$marker_timeout"
waited=$?
if [ "$waited" = 0 ]; then
        wait_for_line "$serial_log" '^thatte-root: (ready|FAIL)|^thatte-mk: (panic:|halted)' 120
fi
log=$(mktemp "${TMPDIR:-/tmp}/thatte-hostile.XXXXXX")
# A carriage return would put what follows at the start of a terminal's
# line: count it as a line break.
tr '\r' '\n' < "$serial_log" > "$log"
diag "hostile run ended after $(seconds_since "$qemu_started_at") s (wait status $waited)"

for c in $cases; do
        line=$(grep -aE -m1 "^thatte-root: hostile $c (ok|FAIL)" "$log")
        case "$line" in
        "thatte-root: hostile $c ok"*) ok "$c" ;;
        "") not_ok "$c: no result line" ;;
        *) not_ok "$c: ${line#thatte-root: hostile $c }" ;;
        esac
done
verdict=$(first_match "$log" '^thatte-root: hostile verdict .*')
check "verdict: ${verdict:-none}" grep -aq '^thatte-root: hostile verdict ok' "$log"
check "ready after the hostile cases" grep -aq '^thatte-root: ready' "$log"
check "no kernel panic" eval '! grep -aq "^thatte-mk: panic:" "$log"'
check "one boot, no reset" test "$(grep -ac 'thatte-mk: .*thatte-mk starting' "$log")" = 1
check "a thread's debug output cannot start a kernel line" \
        eval '! grep -aq "^thatte-mk: panic: hostile spoof" "$log"'
check "a thread's debug output cannot start a root line" \
        eval '! grep -aq "^thatte-root: hostile spoof" "$log"'
# Through its badged DebugConsole cap (badge 5e) and a copy of it: three
# panic spoofs (one after half a line, one after a carriage return) and
# two root ones, each whole on its own line behind the kernel's prefix.
check "its lines arrive behind the kernel's prefix" test \
        "$(grep -ac '^thatte-user\[5e\]: thatte-mk: panic: hostile spoof' "$log"):$(
        grep -ac '^thatte-user\[5e\]: thatte-root: hostile spoof' "$log")" = 3:2
if [ "$tap_failed" != 0 ]; then
        grep -aE 'hostile|spoof|panic|FAIL' "$log" | head -n 80 | while IFS= read -r l; do
                diag "$l"
        done
fi
rm -f "$log"
finish
