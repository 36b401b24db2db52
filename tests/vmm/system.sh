#!/bin/bash
# tests/vmm/system.sh: `thatte-vmm up` and `down` with real QEMU (TCG
# unless THATTE_TEST_ACCEL says otherwise) on two thatte-mk-direct VMs (no
# firmware, ready in about a second) that share one display channel: `up`
# waits for each one's ready marker, creates the channel file 0600 with
# its size, both QEMUs have the ivshmem device (query-pci), `list` names
# the system, `down` stops them last first and removes the file. Again
# with --json: one document naming both VMs each way, and `down` of
# another system leaves them running. Then a second VM that never gets
# ready, and one that wants the channel at another size: `up` fails naming
# it and stops the first again.
#
# Uses the build tree; THATTE_VMM and THATTE_VMM_PROFILES (a folder with
# thatte-mk-direct.toml, e.g. /usr/share/thatte/vms) point it at the
# installed packages instead.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"

vmm=${THATTE_VMM:-$top_builddir/vmm/thatte-vmm}
accel=${THATTE_TEST_ACCEL:-tcg}
require_tool "$QEMU"
require_helpers
json=${THATTE_TEST_JSON:-$top_builddir/tests/vmm/thatte-test-json}
[ -x "$json" ] || bail_out "thatte-test-json not built: set top_builddir or THATTE_TEST_JSON"
export XDG_RUNTIME_DIR=$scratch/run XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config
mkdir -m 700 "$XDG_RUNTIME_DIR"
channels=$XDG_RUNTIME_DIR/thatte-vmm/channels

direct=${THATTE_VMM_PROFILES:-$top_builddir/data/vms}/thatte-mk-direct.toml
[ -f "$direct" ] || skip_all "thatte-mk-direct.toml not built (configure without --disable-efi)"
# profile NAME [TEXT]: a copy of thatte-mk-direct named NAME (the build
# tree's kernel and root task unless installed ones are used), TEXT appended.
profile() {
        if [ -n "${THATTE_VMM_PROFILES:-}" ]; then
                sed -e "s|^name = .*|name = \"$1\"|" "$direct"
        else
                sed -e "s|^name = .*|name = \"$1\"|" \
                        -e "s|^kernel = .*|kernel = \"$top_builddir/kernel/thatte-mk.elf\"|" \
                        -e "s|^initrd = .*|initrd = \"$top_builddir/kernel/root/thatte-root.elf\"|" "$direct"
        fi >"$scratch/$1.toml"
        printf '%s' "${2:-}" >>"$scratch/$1.toml"
}
trap 'for v in sys-a sys-b; do "$vmm" kill $v >/dev/null 2>&1; done; lib_cleanup' EXIT

plan 36

# Both VMs name channel "ch": sys-a through the system file, sys-b in its profile.
profile sys-a
profile sys-b $'\n[[channel]]\nname = "ch"\nsize = 4\n'
cat >"$scratch/two.toml" <<'TOML'
[[vm]]
profile = "sys-a.toml"
ready = "^thatte-root: ready"
timeout = 60
channels = ["ch"]

[[vm]]
profile = "sys-b.toml"
ready = "^thatte-root: ready"
timeout = 60
TOML
# A host-side client made the file first, at the right size: it stays. The
# mark is at the end, past what the root task (a display client) writes.
mkdir -p -m 700 "$channels"
{ head -c $((4 * 1024 * 1024 - 4)) /dev/zero; printf 'host'; } >"$channels/ch"
"$vmm" up "$scratch/two.toml" --accel "$accel" >"$scratch/up.out" 2>&1
check "up starts both" test $? = 0 || diag_file "$scratch/up.out"
check "a channel file of the right size is kept" test "$(tail -c 4 "$channels/ch")" = host
check "up waited for each ready marker, in order" \
        test "$(tr '\n' ' ' <"$scratch/up.out")" = "sys-a: ready sys-b: ready "
check "channel file is 0600" test "$(stat -c %a "$channels/ch" 2>&1)" = 600
check "channel file has the size of sys-b's profile (4 MiB)" test "$(stat -c %s "$channels/ch" 2>&1)" = 4194304
for v in sys-a sys-b; do
        pci=$("$test_qmp" --wait 5 --timeout 20 "$XDG_RUNTIME_DIR/thatte-vmm/$v/qmp.sock" \
                '{"execute":"query-pci"}' 2>&1)
        # ivshmem-plain: vendor 0x1af4 (6900), device 0x1110 (4368)
        check "$v has the ivshmem device" grep -qE '"vendor": *6900[,}]' \
                <<<"$(grep -oE '"id": *\{[^}]*\}' <<<"$pci" | grep -E '"device": *4368[,}]')" || diag "$pci"
done
"$vmm" list >"$scratch/list.out" 2>&1
check "list names the system" grep -qE '^sys-b +running +[0-9]+ +two$' "$scratch/list.out" || diag_file "$scratch/list.out"
check "status --json names the system" grep -q '"system":"two"' <<<"$("$vmm" status sys-a --json)"
"$vmm" down "$scratch/two.toml" >"$scratch/down.out" 2>&1
check "down stops both" test $? = 0 || diag_file "$scratch/down.out"
check "  ... last first" test "$(tr '\n' ' ' <"$scratch/down.out")" = "sys-b: stopped sys-a: stopped "
check "no VM left" test -z "$("$vmm" list 2>&1)"
check "channel file removed with its last user" test ! -e "$channels/ch"

# The same with --json: one document each, naming both VMs in order.
"$vmm" up "$scratch/two.toml" --accel "$accel" --json >"$scratch/up.json" 2>"$scratch/up.err"
check "up --json starts both" test $? = 0 || diag_file "$scratch/up.err"
check "  ... printing one JSON object with system, file and vms" \
        eval '"$json" "$scratch/up.json" system file vms >/dev/null' || diag_file "$scratch/up.json"
check "  ... naming both VMs in order, running and ready" grep -qE \
        '^\{"system":"two","file":"[^"]*/two\.toml","vms":\[\{"name":"sys-a","state":"running",.*"system":"two","profile":"sys-a\.toml","ready":true\},\{"name":"sys-b","state":"running",.*"profile":"sys-b\.toml","ready":true\}\]\}$' \
        "$scratch/up.json" || diag_file "$scratch/up.json"
# Another system naming sys-a: its down leaves the VM that two started alone.
printf '[[vm]]\nprofile = "sys-a.toml"\n' >"$scratch/other.toml"
"$vmm" down "$scratch/other.toml" --json >"$scratch/down.json" 2>"$scratch/down.err"
check "down --json of another system succeeds" test $? = 0 || diag_file "$scratch/down.err"
check "  ... saying it left sys-a running" grep -qE \
        '^\{"system":"other","file":"[^"]*","vms":\[\{"name":"sys-a","profile":"sys-a\.toml","stopped":false,"how":"other-system"\}\]\}$' \
        "$scratch/down.json" || diag_file "$scratch/down.json"
check "  ... which it did" grep -qE '^sys-a +running .* two$' <<<"$("$vmm" list 2>&1)"
"$vmm" down "$scratch/two.toml" --json >"$scratch/down.json" 2>"$scratch/down.err"
check "down --json stops both" test $? = 0 || diag_file "$scratch/down.err"
check "  ... printing one JSON object with system, file and vms" \
        eval '"$json" "$scratch/down.json" system file vms >/dev/null' || diag_file "$scratch/down.json"
check "  ... naming both VMs, last first, stopped" grep -qE \
        '^\{"system":"two","file":"[^"]*/two\.toml","vms":\[\{"name":"sys-b","profile":"sys-b\.toml","stopped":true,"how":"(powerdown|forced)"\},\{"name":"sys-a","profile":"sys-a\.toml","stopped":true,"how":"(powerdown|forced)"\}\]\}$' \
        "$scratch/down.json" || diag_file "$scratch/down.json"
check "no VM left" test -z "$("$vmm" list 2>&1)"

# The second VM never prints its marker: both stop again.
profile sys-b
cat >"$scratch/late.toml" <<'TOML'
[[vm]]
profile = "sys-a.toml"
channels = ["ch"]

[[vm]]
profile = "sys-b.toml"
ready = "never printed"
timeout = 2
channels = ["ch"]
TOML
"$vmm" up "$scratch/late.toml" --accel "$accel" --json >"$scratch/up.out" 2>"$scratch/up.err"
check "up fails when the second VM does not get ready" test $? = 1
check "  ... printing no JSON document" test ! -s "$scratch/up.out" || diag_file "$scratch/up.out"
check "  ... naming it and why" grep -q "VM 'sys-b' (sys-b.toml) failed: no ready marker" "$scratch/up.err" ||
        diag_file "$scratch/up.err"
check "  ... keeping its serial log in its state folder, saying where" \
        eval 'grep -q "serial log is kept in $XDG_STATE_HOME/thatte-vmm/sys-b/serial.log" "$scratch/up.err" &&
              grep -aq "thatte-root" "$XDG_STATE_HOME/thatte-vmm/sys-b/serial.log"' || diag_file "$scratch/up.err"
check "  ... and what to try" grep -Eq "ran under (KVM.*--accel tcg|TCG.*longer timeout)" "$scratch/up.err"
check "  ... and stops what it started" test -z "$("$vmm" list 2>&1)"
check "  ... channel file removed" test ! -e "$channels/ch"

# Ctrl-C while up waits for a marker: what it started stops again.
printf '[[vm]]\nprofile = "sys-a.toml"\nready = "never printed"\ntimeout = 120\n' >"$scratch/int.toml"
"$vmm" up "$scratch/int.toml" --accel "$accel" >"$scratch/up.out" 2>&1 &
up_pid=$!
wait_for_line "$XDG_RUNTIME_DIR/thatte-vmm/sys-a/serial.log" '^thatte-root: ready' 60 ||
        diag "sys-a did not get ready"
kill -INT "$up_pid"
wait "$up_pid"
check "an interrupted up fails" test $? = 1
check "  ... saying so" grep -q "failed: interrupted while waiting" "$scratch/up.out" || diag_file "$scratch/up.out"
check "  ... and stops what it started" test -z "$("$vmm" list 2>&1)"

# The second VM wants the channel at another size than the first uses.
profile sys-a $'\n[[channel]]\nname = "ch"\nsize = 8\n'
profile sys-b $'\n[[channel]]\nname = "ch"\nsize = 4\n'
printf '[[vm]]\nprofile = "sys-a.toml"\n[[vm]]\nprofile = "sys-b.toml"\n' >"$scratch/sizes.toml"
"$vmm" up "$scratch/sizes.toml" --accel "$accel" >"$scratch/up.out" 2>&1
check "a channel of two sizes is refused" test $? = 1
check "  ... saying so" grep -q "channel 'ch' is 8 MiB (VM 'sys-a' uses it); this VM wants 4 MiB" \
        "$scratch/up.out" || diag_file "$scratch/up.out"
check "  ... and the first VM stopped again" test -z "$("$vmm" list 2>&1)"
finish
