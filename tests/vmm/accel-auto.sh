#!/bin/bash
# tests/vmm/accel-auto.sh: accel = "auto" as a user meets it, with no
# --accel and no THATTE_TEST_ACCEL: one start per guest kind (efi-hello
# under OVMF, thatte-mk-direct booted directly; DriverOS is in
# tests/driveros/boot-auto.sh) must reach its marker on this very host,
# whatever its KVM does, and run under the accelerator doctor's probe
# chose. Then a host whose KVM node opens but runs no guest (the real
# /dev/kvm if it is such, else a stand-in node): auto picks TCG at once
# and says why; the answer is cached per host, kernel and QEMU (doctor
# says so) and `doctor --refresh` probes again; a stale cache (another
# QEMU, or a file others may write) is not trusted; an explicit --accel
# kvm is warned about.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"
use_efi_hello
unset THATTE_TEST_ACCEL THATTE_VMM_KVM_OPTIONS THATTE_VMM_KVM_DEVICE
direct=${THATTE_VMM_PROFILES:-$top_builddir/data/vms}/thatte-mk-direct.toml
[ -f "$direct" ] || skip_all "thatte-mk-direct.toml not built (configure without --disable-efi)"
if [ -n "${THATTE_VMM_PROFILES:-}" ]; then
        cp "$direct" "$scratch/direct.toml"
else
        sed -e "s|^kernel = .*|kernel = \"$top_builddir/kernel/thatte-mk.elf\"|" \
                -e "s|^initrd = .*|initrd = \"$top_builddir/kernel/root/thatte-root.elf\"|" "$direct" \
                >"$scratch/direct.toml"
fi
trap '"$vmm" kill efi-hello >/dev/null 2>&1; "$vmm" kill thatte-mk-direct >/dev/null 2>&1; lib_cleanup' EXIT
cache=$XDG_CACHE_HOME/thatte-vmm/kvm-probe

plan 15

# The accelerator auto should pick here: KVM only where the probe ran a guest.
if kvm_opens && "$vmm" doctor >"$scratch/doctor.txt" 2>&1 && grep -q '^ok   kvm-guest' "$scratch/doctor.txt"; then
        want=kvm
else
        want=tcg
fi
diag "auto should pick $want on this host"
rm -f "$cache"

# boots NAME PROFILE MARKER: start with the profile's accel = "auto".
boots() {
        vm=$1 vm_profile=$2
        local rundir=$XDG_RUNTIME_DIR/thatte-vmm/$1
        check "$vm: start with accel auto, no override" \
                eval '"$vmm" start "$vm_profile" --json >"$scratch/$vm.json" 2>"$scratch/$vm.err"' ||
                diag_file "$scratch/$vm.err"
        check "$vm: runs under $want" grep -q "\"accel\":\"$want\"" "$scratch/$vm.json" ||
                diag_file "$scratch/$vm.json"
        check "$vm: reaches its marker" wait_for_line "$rundir/serial.log" "$3" 240 ||
                diag_file "$rundir/qemu.log"
        "$vmm" stop "$vm" --force >/dev/null 2>&1
}
boots efi-hello "$profile" "$marker"
boots thatte-mk-direct "$scratch/direct.toml" 'thatte-root: ready'

# A KVM node that opens but runs no guest.
kvm_opens || export THATTE_VMM_KVM_DEVICE=/dev/null
rm -f "$cache"
if [ "$want" = tcg ]; then
        check "such a host: start with auto" eval '"$vmm" start "$profile" --json >"$scratch/s.json" 2>"$scratch/s.err"'
        check "  ... runs under TCG" grep -q '"accel":"tcg"' "$scratch/s.json"
        check "  ... and says why, naming doctor --refresh" \
                grep -q "using TCG (slow): .*doctor --refresh" "$scratch/s.err" || diag_file "$scratch/s.err"
        "$vmm" stop efi-hello --force >/dev/null 2>&1
        check "the probe's answer is cached, private" eval 'grep -q "^runs=no" "$cache" &&
                test "$(stat -c %a "$cache")" = 600'
        "$vmm" doctor >"$scratch/d1.txt" 2>&1
        check "doctor says the answer was cached" grep -q "kvm-guest .*(cached, probed " "$scratch/d1.txt" ||
                diag_file "$scratch/d1.txt"
        "$vmm" doctor --refresh >"$scratch/d2.txt" 2>&1
        check "doctor --refresh probes again" grep -q "kvm-guest .*(probed now, " "$scratch/d2.txt" ||
                diag_file "$scratch/d2.txt"
        sed -i 's/ size=[0-9]*/ size=1/' "$cache"
        "$vmm" doctor >"$scratch/d3.txt" 2>&1
        check "an answer for another QEMU is not trusted" grep -q "kvm-guest .*(probed now, " "$scratch/d3.txt"
        chmod 666 "$cache"
        "$vmm" doctor >"$scratch/d4.txt" 2>&1
        check "an answer others could have written is not trusted" grep -q "kvm-guest .*(probed now, " "$scratch/d4.txt"
        "$vmm" cmdline "$profile" --accel kvm >/dev/null 2>"$scratch/k.err"
        "$vmm" start "$profile" --accel kvm >/dev/null 2>"$scratch/k.err"
        check "--accel kvm on such a host is warned about" grep -q "warning: KVM did not run a probe guest.*try --accel tcg" \
                "$scratch/k.err" || diag_file "$scratch/k.err"
        "$vmm" kill efi-hello >/dev/null 2>&1
else
        for what in start tcg why cached doctor refresh stale writable warn; do
                ok "# SKIP $what: KVM runs guests on this host"
        done
fi
finish
