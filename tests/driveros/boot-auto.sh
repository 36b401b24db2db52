#!/bin/bash
# boot-auto.sh: the default DriverOS image (a Debian kernel, the initramfs
# with thatte-init) started as a user does, `thatte-vmm start` with the
# profile's accel = "auto" and no --accel or THATTE_TEST_ACCEL, reaches
# thatte-init's ready marker on this very host, under the accelerator that
# doctor's KVM probe chose (KVM only where a probe guest ran). On a host
# whose /dev/kvm opens but runs no guest this is the case that used to
# hang under KVM. As root, the image is built with a fresh package cache,
# so apt really downloads: without the warning that it downloads
# unsandboxed as root (thatte-driveros-make gives _apt a folder it can write).
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
plan 6

img=$scratch/img
[ "$(id -u)" = 0 ] && drv_cache=$scratch/packages
if ! check "image built" drv_build "$img" --verbose; then
        for i in 2 3 4 5 6; do not_ok "skipped: no image"; done
        finish
fi
if [ "$(id -u)" = 0 ]; then
        check "as root, apt downloaded sandboxed (no _apt warning)" eval '
                grep -q "^Get:" "$scratch/make.log" && ! grep -q "unsandboxed as root" "$scratch/make.log"' ||
                diag "$(grep -m3 "unsandboxed\|^Get:" "$scratch/make.log")"
else
        ok "# SKIP apt's sandbox: not root"
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
