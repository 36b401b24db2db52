#!/bin/bash
# direct-vm.sh: thatte-mk as a hypervisor (issue 17). Under -cpu max (SVM
# with nested paging in QEMU's TCG) the root task runs a tiny real-mode
# guest on a VCPU and checks each exit (CPUID, an intercepted and a
# passed-through port, NPF, HLT, an injected interrupt, a triple fault),
# a VMRUN refused for inconsistent state, a long-mode guest, two
# guests keeping their own SSE and two their own AVX registers, a host
# thread's FPU instructions faulting after them with none of their
# values in its reach, hostile
# VCPU inputs, guest state, registers and guest writes to host state, a guest spinning forever that
# the timer takes the CPU from while the root keeps running, a signal
# on the VMM thread's bound notification ending VMEnter, and
# times a CPUID exit handled in user space under -icount shift=0
# (goal: at most 1500 instructions). That boot passes
# thatte.test=guest-beside: two guests (one spinning with interrupts off,
# one exiting on CPUID all the time) run beside the root's other checks,
# which must all pass as usual, and must have made progress. Under -cpu qemu64 (SVM without
# nested paging) the kernel says so once, the VCPU retype is refused with
# MK_E_UNSUPPORTED, and the boot still ends with ready.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"

marker_timeout=300
require_direct

guest_lines=(
        'guest cpuid exit at rip 0x103'
        'guest out to port 0x4f0 value 0x54414854 \(length 2\); port 0x80 passed through'
        'guest mmio read of 0xf0010: nested page fault, decoded'
        'guest hlt'
        'guest interrupt 0x20 injected, its handler ran'
        'guest triple fault: shutdown exit'
        'vmexit round trip through the VMM [0-9]+ TSC ticks, bare VMRUN loop [0-9]+, ratio [0-9]+\.[0-9]+'
        'guest with inconsistent state refused: exit 0xffffffff'
        'guest long mode: cpuid exit at rip 0x805, hlt with rax 0x1122334455667788'
        'guest sse: two VCPUs side by side keep their own xmm0 \(0x5353454141414141, 0x5353454242424242\)'
        'guest avx: XSETBV (exited, emulated by the VMM|ran in the guest \(no intercept here\)), bad XCR0 values refused; two VCPUs side by side keep their own ymm0 \(0x4156584141414141, 0x4156584242424242\); XCR0 lowered under used AVX state'
        'guest fpu stays in guests: after them a host thread.s SSE, AVX, x87, FXSAVE and XSAVE faulted at once \(vectors [67] [67] [67] [67] [67]\), delivered to the root; no guest xmm or ymm value in its fault messages, memory or general registers'
        'guest hostile inputs refused: VMEnter unbound or without a guest space, double bindings, wrong cap types, unknown state fields, non-frames mapped into a guest space, a guest space into a vspace'
        'guest hostile state refused by VMRUN, exit 0xffffffff each: CR0.NW without CD, CR0 bit 32, CR4 bit 63, long mode without PAE, EFER all-ones, CS with L and D'
        'guest hostile writes: EFER, VM_HSAVE_PA, VM_CR exit; LSTAR, STAR, GS_BASE, KERNEL_GS_BASE written in the guest without an exit and the host.s back after; VMRUN, VMMCALL, VMLOAD, VMSAVE, STGI, CLGI exit'
        'guest hostile registers: rip 2\^63 exit 0x7f, rflags all-ones exit 0x7f, event all-ones exit 0xffffffff'
        'guest spinning forever, interrupts off: the timer gave the root 2 turns back \([0-9]+ guest loops\)'
        'guest notified: a signal on the VMM thread.s bound notification ended VMEnter \(exit 0x10000, word 0x4952\), a pending one the next VMEnter at once'
        'guest unbound: unbinding its VCPU ended VMEnter with ABORTED'
        'guest ok'
)
# the root's other checks, each passing beside the two guests
beside_lines=(
        'ipc round trip [0-9]+ instructions'
        'retyped CNodes, TCBs, endpoints, .*'
        'preemption: two busy threads at equal priority both ran under the timer.*'
        'page fault isolated: vector 14 .*'
        'port i/o without a capability isolated: vector 13 .*'
        'segments: selectors a thread loads .*'
        'console: a child printed through a cap with badge 0x51.*'
        'irq 4 \(COM1 transmitter empty\) delivered to a notification, acknowledged'
        'guest beside 6 self-checks ok: a guest spinning with interrupts off \([1-9][0-9]* loops\) and one exiting on CPUID \([1-9][0-9]* exits\) at priority 254 ran while the root waited; the ipc round trip above was measured with them beside it'
)
plan $((${#guest_lines[@]} + ${#beside_lines[@]} + 10))

direct_start -machine pc -m 256 -cpu max -icount shift=0 -append thatte.test=guest-beside
direct_wait "$marker_timeout"
if ! check "-cpu max: ready" test $? = 0; then
        diag_file "$serial_log" 30
        diag_file "$qemu_log" 5
fi
check "-cpu max: the kernel found SVM with nested paging" \
        grep -aqE 'thatte-mk: .*svm: nested paging, [0-9]+ ASIDs' "$serial_log"
check "-cpu max: no panic" eval '! grep -aq "thatte-mk: panic" "$serial_log"'
check "-cpu max: no refusal line" eval '! grep -aq "no SVM with nested paging" "$serial_log"'
for l in "${beside_lines[@]}"; do
        check "-cpu max, guests beside: $l" grep -aqE "^thatte-root: $l"$'\r?$' "$serial_log"
done
diag "$(first_match "$serial_log" 'guest beside [0-9]+ self-checks ok: .*')"
diag "$(first_match "$serial_log" 'guest fpu stays in guests: .*')"
check "-cpu max: the guests stopped before the guest checks" \
        eval 'grep -aE "^thatte-root: guest" "$serial_log" | head -1 | grep -aq "^thatte-root: guest beside 6"'
for l in "${guest_lines[@]}"; do
        check "-cpu max: $l" grep -aqE "^thatte-root: $l"$'\r?$' "$serial_log"
done
n=$(first_match "$serial_log" 'vmexit round trip [0-9]+ instructions')
diag "${n:-no vmexit figure}"
diag "$(first_match "$serial_log" 'vmexit round trip parts: .*')"
n=${n#vmexit round trip }
n=${n%% *}
check "vmexit round trip at most 1500 instructions (${n:-none})" test -n "$n" -a "${n:-999999}" -le 1500
qemu_stop

direct_start -machine pc -m 256 -cpu qemu64
direct_wait "$marker_timeout"
if ! check "-cpu qemu64: ready" test $? = 0; then
        diag_file "$serial_log" 30
fi
check "-cpu qemu64: the kernel says once that there is no SVM with nested paging" \
        test "$(grep -acE '^thatte-mk: no SVM with nested paging'$'\r?$' "$serial_log")" = 1
check "-cpu qemu64: the VCPU is refused with MK_E_UNSUPPORTED" \
        grep -aqE '^thatte-root: guest: no VCPU on this machine \(kernel error 14\)'$'\r?$' "$serial_log"
check "-cpu qemu64: no guest ran" eval '! grep -aq "thatte-root: guest ok" "$serial_log"'
qemu_stop
finish
