#!/bin/bash
# tests/vmm/manage.sh: keeping track of VMs, as a user does, with real QEMU
# (TCG unless THATTE_TEST_ACCEL) on a thatte-mk-direct VM ("keep", ready in
# about a second, with a raw disk behind a qcow2 overlay):
#   - list --all shows defined profiles and VMs with state that do not run
#   - the serial log stays in the state folder after stop; `log` prints it
#   - delete, reset and snapshot refuse while the VM runs
#   - snapshot save/list/load/delete: data written into the overlay (qemu-io)
#     comes back with load; a tag twice, a bad tag, a missing tag are refused
#   - reset: the overlay goes, the next start has the base disk again
#   - a tag on one of two overlays only: load refuses and changes no disk,
#     delete removes it
#   - edit: $EDITOR's valid change is kept; an invalid one is refused with
#     FILE:LINE and leaves the profile as it was, and no temporary file
#   - delete: the state folder goes; list --all forgets a VM without profile
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"

direct=${THATTE_VMM_PROFILES:-$top_builddir/data/vms}/thatte-mk-direct.toml
[ -f "$direct" ] || skip_all "thatte-mk-direct.toml not built (configure without --disable-efi)"
require_tool qemu-io qemu-img
vms=$XDG_CONFIG_HOME/thatte/vms
mkdir -p "$vms"
truncate -s 8M "$scratch/base.img"
if [ -n "${THATTE_VMM_PROFILES:-}" ]; then
        sed -e 's|^name = .*|name = "keep"|' "$direct"
else
        sed -e 's|^name = .*|name = "keep"|' \
                -e "s|^kernel = .*|kernel = \"$top_builddir/kernel/thatte-mk.elf\"|" \
                -e "s|^initrd = .*|initrd = \"$top_builddir/kernel/root/thatte-root.elf\"|" "$direct"
fi >"$vms/keep.toml"
printf '\n[[disk]]\npath = "%s"\nformat = "raw"\n' "$scratch/base.img" >>"$vms/keep.toml"
state=$XDG_STATE_HOME/thatte-vmm/keep
overlay=$state/disk0.qcow2
trap '"$vmm" kill keep >/dev/null 2>&1; lib_cleanup' EXIT

# pattern BYTE: reads the overlay's first 4 KiB as BYTE (qemu-io's verify,
# which prints "read 4096/4096" even after "Pattern verification failed").
pattern() {
        local out
        out=$(qemu-io -f qcow2 -c "read -P $1 0 4k" "$overlay" 2>&1) &&
                grep -q "read 4096/4096" <<<"$out" && ! grep -q "verification failed" <<<"$out"
}

plan 45

check "list --all shows a defined VM that never ran" grep -qE '^keep +stopped' <("$vmm" list --all)
check "plain list does not" test -z "$("$vmm" list | grep '^keep ')"
check "start" "$vmm" start keep --accel "$accel"
check "ready marker" wait_for_line "$state/serial.log" "thatte-root: ready" 60 || diag_file "$state/serial.log"
for verb in delete reset "snapshot keep save t0"; do
        set -- $verb
        [ $# = 1 ] && set -- "$1" keep
        "$vmm" "$@" 2>"$scratch/err"
        check "$1 refused while the VM runs" test $? = 1
done
check "... saying to stop it first" grep -q "stop it first" "$scratch/err"
check "list --all --json has it running" \
        grep -q '"name":"keep","state":"running"' <("$vmm" list --all --json | sed 's/},{/}\n{/g')
"$vmm" log keep --follow >"$scratch/follow.out" &
follow_pid=$!
check "stop" "$vmm" stop keep
for ((i = 0; i < 50; i++)); do kill -0 $follow_pid 2>/dev/null || break; sleep 0.1; done
check "log --follow printed the run and ended with the VM" \
        eval '! kill -0 $follow_pid 2>/dev/null && grep -aq "thatte-root: ready" "$scratch/follow.out"'
check "the serial log stays after stop" grep -aq "thatte-root: ready" "$state/serial.log"
check "log prints it" grep -aq "thatte-root: ready" <("$vmm" log keep)
sed 's|^name = .*|name = "fresh"|' "$vms/keep.toml" >"$vms/fresh.toml"
"$vmm" log fresh 2>"$scratch/err"
status=$?
check "log of a VM that never ran fails, saying so" \
        eval 'test $status = 1 && grep -q "has no serial log" "$scratch/err"'
rm "$vms/fresh.toml"
"$vmm" log nosuch 2>"$scratch/err"
status=$?
check "log of no such VM is a usage error, saying so" \
        eval 'test $status = 2 && grep -q "no such VM" "$scratch/err"'

qemu-io -f qcow2 -c "write -P 0xab 0 4k" "$overlay" >/dev/null
check "snapshot save" "$vmm" snapshot keep save before
"$vmm" snapshot keep save before 2>"$scratch/err"
status=$?
check "the same tag again is refused" eval 'test $status = 1 && grep -q "already" "$scratch/err"'
qemu-io -f qcow2 -c "write -P 0xcd 0 4k" "$overlay" >/dev/null
check "snapshot list names it" grep -q " before " <("$vmm" snapshot keep list)
check "the disk changed after save" pattern 0xcd
check "snapshot load" "$vmm" snapshot keep load before
check "the disk is back as saved" pattern 0xab
"$vmm" snapshot keep load nosuch 2>/dev/null
check "loading a missing tag fails" test $? = 1
"$vmm" snapshot keep save ../x 2>/dev/null
check "a tag with a slash is a usage error" test $? = 2
"$vmm" snapshot keep frob 2>/dev/null
check "an unknown action is a usage error" test $? = 2
check "snapshot delete" "$vmm" snapshot keep delete before
check "it is gone from the list" test -z "$("$vmm" snapshot keep list | grep ' before ')"

check "reset" "$vmm" reset keep
check "the overlay is gone" test ! -e "$overlay"
check "the serial log stays" test -s "$state/serial.log"
truncate -s 8M "$scratch/base2.img"
printf '\n[[disk]]\npath = "%s"\nformat = "raw"\n' "$scratch/base2.img" >>"$vms/keep.toml"
check "start after reset" "$vmm" start keep --accel "$accel"
"$vmm" stop keep >/dev/null
check "the new overlay shows the base disk (zeros)" pattern 0

# A tag only some overlays have (a save cut short, a hand-made one): load
# refuses before it changes any disk; delete removes what there is.
check "snapshot save on two disks" "$vmm" snapshot keep save two
qemu-img snapshot -d two "$state/disk1.qcow2"
qemu-io -f qcow2 -c "write -P 0xef 0 4k" "$overlay" >/dev/null
"$vmm" snapshot keep load two 2>"$scratch/err"
status=$?
check "load of a tag one disk lacks is refused, naming that disk" \
        eval 'test $status = 1 && grep -q "disk1.qcow2 has no snapshot .two." "$scratch/err"'
check "... before any disk changed" pattern 0xef
check "delete of that tag" "$vmm" snapshot keep delete two
check "... leaves it on no disk" test -z "$("$vmm" snapshot keep list | grep ' two ')"

cp "$vms/keep.toml" "$scratch/keep.orig"
printf '#!/bin/sh\nsed -i "s/^memory = .*/memroy = 128/" "$1"\n' >"$scratch/bad-editor"
printf '#!/bin/sh\nsed -i "s/^memory = .*/memory = 192/" "$1"\n' >"$scratch/good-editor"
chmod +x "$scratch/bad-editor" "$scratch/good-editor"
EDITOR=$scratch/bad-editor VISUAL= "$vmm" edit keep </dev/null 2>"$scratch/err"
check "edit: an invalid change is refused" test $? = 2
check "... naming FILE:LINE of the profile" grep -q "^$vms/keep.toml:[0-9]*: .*memroy" "$scratch/err" ||
        diag_file "$scratch/err"
check "... which is unchanged" cmp "$vms/keep.toml" "$scratch/keep.orig"
check "... and no temporary copy is left" test -z "$(ls -A "$vms" | grep -v '^keep.toml$')"
check "edit: a valid change" env EDITOR="$scratch/good-editor" VISUAL= "$vmm" edit keep
check "... is kept" grep -q '^memory = 192' "$vms/keep.toml"

check "delete" "$vmm" delete keep
check "the state folder is gone" test ! -e "$state"
rm "$vms/keep.toml"
check "list --all forgets it" test -z "$("$vmm" list --all | grep '^keep ')"
finish
