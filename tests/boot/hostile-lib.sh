# tests/boot/hostile-lib.sh: what direct-hostile.sh and uefi-hostile.sh
# share (source it after tests/integration/lib.sh): the case names the
# root task prints (kernel/root/hostile*.c), and hostile_checks, which
# waits for the run to end on the console ($serial_log) and checks every
# case, the verdict, ready after it, no panic, one boot, SMEP and SMAP in
# CR4, and that no line a child printed passes for a kernel or root line.
# hostile_nchecks: how many checks hostile_checks makes.

hostile_cases="insn-hlt insn-cli insn-sti insn-in insn-out insn-rdmsr insn-wrmsr insn-lgdt
insn-lidt insn-ltr insn-mov-cr3 insn-mov-cr0 insn-invlpg insn-swapgs insn-int3 insn-ud2
insn-int-0x80 insn-int-pf insn-int-gp insn-int-df insn-int-irq insn-int-timer
insn-int-spurious insn-load-kernel-ds insn-div0 insn-load-tss-gs insn-wrfsbase insn-wrgsbase
insn-iret-ring0 insn-flags-df-ac-nt
regs-rip-kernel-noncanonical regs-tls-base-kernel-noncanonical regs-rip-unmapped regs-rsp-noncanonical regs-rsp-kernel
sys-every-number-all-ones sys-every-cap-all-ones sys-every-method-all-ones
retype-out-of-range retype-preempted-untyped-deleted revoke-preempted-mapped-frame-deleted
cnode-out-of-range
table-copy-maps-twice table-unmap-remap table-unmapped-copy-maps-twice table-copy-stale-tlb
forge-cap-through-stale-mapping
revoke-mapped-frame revoke-mapped-table self-delete-tcb self-delete-tcb-with-last-vspace-cap
self-revoke-vspace
self-revoke-cspace ipc-buffer-deleted-mid-call df-set-call-and-trap map-bad-addresses ipc-buffer-bad-addresses
debug-output-spoof"
hostile_nchecks=$(($(echo $hostile_cases | wc -w) + 9))

# hostile_checks TIMEOUT
hostile_checks() {
        local waited log cr4 fake real verdict_at c line verdict
        # Anchored: a spoofed marker in the middle of a line must not end the wait.
        wait_for_line "$serial_log" '^thatte-root: (hostile verdict|FAIL)|^thatte-mk: (panic:|halted)' \
                "$1"
        waited=$?
        if [ "$waited" = 0 ]; then
                wait_for_line "$serial_log" '^thatte-root: (ready|FAIL)|^thatte-mk: (panic:|halted)' 120
        fi
        log=$(mktemp "${TMPDIR:-/tmp}/thatte-hostile.XXXXXX")
        # A carriage return would put what follows at the start of a terminal's
        # line: count it as a line break.
        tr '\r' '\n' < "$serial_log" > "$log"
        diag "hostile run ended after $(seconds_since "$qemu_started_at") s (wait status $waited)"

        for c in $hostile_cases; do
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
        cr4=$(first_match "$log" '^thatte-mk: (\[[^]]*\] )?cpu: nx .* cr4 [0-9a-f]+')
        cr4=${cr4##* }
        check "the kernel runs with SMEP and SMAP on (CR4 ${cr4:-not logged})" \
                eval '[ -n "$cr4" ] && (( (0x$cr4 & 0x300000) == 0x300000 ))'
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
        # The spoof case also prints `thatte-root: ready` while cases still run:
        # a scan for it anywhere in a line takes that one, the anchored one (as
        # direct_end_re, vmm's ready in data/systems) only the root's, after the
        # verdict.
        line_of() { grep -anE -m1 -- "$1" "$log" | cut -d: -f1; }
        fake=$(line_of 'thatte-root: ready') real=$(line_of '^thatte-root: ready')
        verdict_at=$(line_of '^thatte-root: hostile verdict')
        check "a child's fake ready marker (line ${fake:-none}) is not the root's (${real:-none})" \
                eval 'grep -aq "^thatte-user\[5e\]: thatte-root: ready\$" "$log" &&
                [ -n "$fake" ] && [ -n "$real" ] && [ -n "$verdict_at" ] &&
                [ "$fake" -lt "$verdict_at" ] && [ "$verdict_at" -lt "$real" ]'
        if [ "$tap_failed" != 0 ]; then
                grep -aE 'hostile|spoof|panic|FAIL' "$log" | head -n 80 | while IFS= read -r l; do
                        diag "$l"
                done
        fi
        rm -f "$log"
}
