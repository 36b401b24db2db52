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
