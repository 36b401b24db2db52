#!/bin/bash
# tests/vmm/kvm-fallback.sh: `doctor --json` with real QEMU and OVMF, and
# accel = "auto" falling back to TCG when KVM fails at start-up. The failure
# is forced, not left to the host: THATTE_VMM_KVM_OPTIONS=kvm-shadow-mem=1
# makes QEMU's KVM set-up fail ("failed to initialize kvm"), and the KVM
# probe's cached answer says yes, so auto takes KVM; where /dev/kvm does
# not open, a node that does stands in for it. Both `start` and `run` (on
# a pseudo-terminal) must come up under TCG, saying why, and paint the
# efi-hello gradient marker.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"
use_efi_hello
json=${THATTE_TEST_JSON:-$top_builddir/tests/vmm/thatte-test-json}
[ -x "$json" ] || bail_out "thatte-test-json not built: set top_builddir or THATTE_TEST_JSON"
trap '"$vmm" kill efi-hello >/dev/null 2>&1; lib_cleanup' EXIT

plan 8

"$vmm" doctor --json >"$scratch/doctor.json" 2>"$scratch/doctor.err"
status=$?
diag "$(cat "$scratch/doctor.json")"
check "doctor --json: exit 0, one JSON object with ok and checks" \
        eval 'test $status = 0 && "$json" "$scratch/doctor.json" ok checks >/dev/null'
check "doctor probed QEMU, the runtime folder and KVM" \
        eval 'grep -q "\"name\":\"qemu\",\"status\":\"ok\"" "$scratch/doctor.json" &&
              grep -q "\"name\":\"runtime-folder\",\"status\":\"ok\"" "$scratch/doctor.json" &&
              grep -q "\"name\":\"kvm-guest\"" "$scratch/doctor.json"'

# Where /dev/kvm does not open, a node that does stands in for it; QEMU
# itself still fails to set KVM up, which is what this test wants.
kvm_opens || export THATTE_VMM_KVM_DEVICE=/dev/null
# The probe is told KVM runs guests here, so auto takes KVM and meets the
# failure at start-up (accel-auto.sh tests the probe's own answer).
seed_kvm_verdict yes
export THATTE_VMM_KVM_OPTIONS=kvm-shadow-mem=1
check "start with accel auto and a failing KVM start" \
        eval '"$vmm" start "$profile" --accel auto --json >"$scratch/start.json" 2>"$scratch/start.err"'
check "it says KVM failed and why" grep -q "KVM failed at start-up (.*kvm.*); starting VM 'efi-hello' again under TCG" \
        "$scratch/start.err" || diag_file "$scratch/start.err"
check "the VM runs under TCG" grep -q '"state":"running".*"accel":"tcg"' "$scratch/start.json" ||
        diag_file "$scratch/start.json"
check "and boots" wait_for_line "$rundir/serial.log" "$marker" 180 || diag_file "$rundir/qemu.log"
"$vmm" stop efi-hello --force >/dev/null 2>&1

"$pty" --wait-for "thatte-efi: painted" --timeout 300 -- \
        "$vmm" run "$profile" --accel auto >"$scratch/run.log" 2>&1
status=$?
check "run falls back too" grep -q "KVM failed at start-up" "$scratch/run.log"
check "run boots under TCG and ends cleanly" test "$status" = 0 -a ! -e "$rundir" || diag_file "$scratch/run.log"
finish
