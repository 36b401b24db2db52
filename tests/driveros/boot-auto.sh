#!/bin/bash
# boot-auto.sh: the default DriverOS image (a Debian kernel, the initramfs
# with thatte-init) started as a user does, `thatte-vmm start` with the
# profile's accel = "auto" and no --accel or THATTE_TEST_ACCEL, reaches
# thatte-init's ready marker on this very host, under the accelerator that
# doctor's KVM probe chose (KVM only where a probe guest ran). On a host
# whose /dev/kvm opens but runs no guest this is the case that used to
# hang under KVM.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_tool "$QEMU"
require_helpers
require_vmm
unset THATTE_TEST_ACCEL
export XDG_CACHE_HOME=$scratch/cache
plan 5

img=$scratch/img
if ! check "image built" drv_build "$img"; then
        for i in 2 3 4 5; do not_ok "skipped: no image"; done
        finish
fi
check "the image's profile says accel = auto" grep -q '^accel = "auto"' "$img/driveros.toml"
if [ -c /dev/kvm ] && (exec 3<>/dev/kvm) 2>/dev/null && "$drv_vmm" doctor 2>&1 | grep -q '^ok   kvm-guest'; then
        want=kvm
else
        want=tcg
fi
diag "auto should pick $want on this host"
qemu_started_at=$(date +%s.%N)
check "start with accel auto, no override" \
        eval '"$drv_vmm" start "$img/driveros.toml" --json >"$scratch/start.json" 2>"$qemu_log"' || diag_file "$qemu_log"
check "it runs under $want" grep -q "\"accel\":\"$want\"" "$scratch/start.json" || diag_file "$scratch/start.json"
log=$XDG_RUNTIME_DIR/thatte-vmm/driveros/serial.log
check "it reaches thatte-init's ready marker" wait_for_line "$log" "thatte-init: ready" "${drv_marker_timeout:-240}" ||
        diag_file "$log"
diag "ready after $(seconds_since "$qemu_started_at") s"
"$drv_vmm" stop driveros >/dev/null 2>&1
finish
