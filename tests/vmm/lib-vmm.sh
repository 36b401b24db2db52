# tests/vmm/lib-vmm.sh: shared set-up of the thatte-vmm integration tests,
# sourced after tests/integration/lib.sh. Gives $vmm (THATTE_VMM or the
# build tree's) and $accel; runtime, state and config folders in $scratch;
# skips without QEMU or OVMF.
vmm=${THATTE_VMM:-$top_builddir/vmm/thatte-vmm}
accel=${THATTE_TEST_ACCEL:-tcg}

require_tool "$QEMU"
require_ovmf
require_helpers
export THATTE_OVMF_CODE=$OVMF_CODE THATTE_OVMF_VARS=$OVMF_VARS
export XDG_RUNTIME_DIR=$scratch/run XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config
export XDG_CACHE_HOME=$scratch/cache    # the KVM probe's answer: probed afresh per test
mkdir -m 700 "$XDG_RUNTIME_DIR"
# No test VM opens a window on the tester's screen (display.sh sets its own).
unset DISPLAY WAYLAND_DISPLAY

# use_efi_hello: for the tests on the efi-hello profile, $pty, $marker,
# $rundir and $profile (THATTE_VMM_PROFILE, a profile with its ESP image
# next to it, or a copy of the build tree's in $scratch).
use_efi_hello() {
        pty=$top_builddir/tests/vmm/thatte-test-pty
        marker='thatte-efi: painted [0-9]+x[0-9]+'
        rundir=$XDG_RUNTIME_DIR/thatte-vmm/efi-hello
        if [ -n "${THATTE_VMM_PROFILE:-}" ]; then
                profile=$THATTE_VMM_PROFILE
        else
                esp=$top_builddir/data/vms/efi-hello-esp.img
                [ -f "$esp" ] || skip_all "efi-hello-esp.img not built (configure without --disable-efi)"
                mkdir "$scratch/vms"
                cp "$top_srcdir/data/vms/efi-hello.toml" "$esp" "$scratch/vms/"
                profile=$scratch/vms/efi-hello.toml
        fi
}

# kvm_opens: whether /dev/kvm is a device that opens read-write (a test
# with <> on a path that is missing would create a plain file there).
kvm_opens() {
        [ -c /dev/kvm ] && (exec 3<>/dev/kvm) 2>/dev/null
}

# seed_kvm_verdict yes|no [WHY]: writes the KVM probe's cached answer for
# this host, kernel and QEMU, as thatte-vmm keeps it (vmm/kvm-verdict.c).
seed_kvm_verdict() {
        local qemu
        qemu=$(command -v qemu-system-x86_64) || return 1
        mkdir -p -m 700 "$XDG_CACHE_HOME/thatte-vmm"
        printf 'thatte-vmm kvm-probe 1\nkey=host=%s kernel=%s %s qemu=%s size=%s mtime=%s\nruns=%s\nwhen=%s\nwhy=%s\n' \
                "$(uname -n)" "$(uname -r)" "$(uname -v)" "$qemu" "$(stat -c %s "$qemu")" \
                "$(stat -c %Y "$qemu")" "$1" "$(date +%s)" "${2:-}" >"$XDG_CACHE_HOME/thatte-vmm/kvm-probe"
}

# stop_powered_down NAME: `stop NAME` succeeds and says the guest powered
# down (thatte-vmm did not have to force QEMU); its line as a comment.
stop_powered_down() {
        local out r
        out=$("$vmm" stop "$1" --timeout 20 2>&1)
        r=$?
        diag "$1: $out"
        [ $r = 0 ] && [ "$out" = "$1: stopped (powered down)" ]
}
