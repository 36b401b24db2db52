#!/bin/sh
# tests/vmm/cli.sh: thatte-vmm's command line without starting a VM: exit
# statuses, FILE:LINE errors, name lookup, cmdline output, status and list
# of VMs that do not run, a crashed VM's leftovers; hostile names, snapshot
# tags and guest paths given to log, delete, reset, snapshot, exec and copy;
# hostile keys, pointer actions and hold times given to send-key and pointer.
vmm=$top_builddir/vmm/thatte-vmm
t=$(mktemp -d /tmp/thatte-vmm-cli.XXXXXX) || exit 99
trap 'rm -rf "$t"' EXIT
export XDG_RUNTIME_DIR=$t/run XDG_STATE_HOME=$t/state XDG_CONFIG_HOME=$t/config
mkdir -m 700 "$t/run"
mkdir -p "$t/config/thatte/vms" "$t/bin"
# A stand-in QEMU on PATH: cmdline must print its absolute path and run nothing.
printf '#!/bin/sh\nexit 3\n' >"$t/bin/qemu-system-x86_64"
chmod +x "$t/bin/qemu-system-x86_64"
PATH=$t/bin:$PATH

n=0
fail=0
check() { # check NAME WANT_STATUS COMMAND...: runs COMMAND, compares status
        name=$1 want=$2
        shift 2
        "$@" >"$t/out" 2>"$t/err"
        got=$?
        n=$((n + 1))
        if [ "$got" = "$want" ]; then
                echo "ok $n - $name"
        else
                echo "not ok $n - $name (status $got, want $want)"
                sed 's/^/# /' "$t/err"
                fail=1
        fi
}
has() { # has NAME FILE TEXT: FILE contains TEXT
        n=$((n + 1))
        if grep -qF -- "$3" "$2"; then
                echo "ok $n - $1"
        else
                echo "not ok $n - $1"
                sed 's/^/# /' "$2"
                fail=1
        fi
}

cat >"$t/config/thatte/vms/good.toml" <<'EOT'
[vm]
name = "good"
memory = 64
[boot]
firmware = "bios"
[display]
gpu = "none"
EOT
printf '[vm]\nname = "bad"\n\nmemory = "lots"\n' >"$t/bad.toml"

check "--help exits 0" 0 "$vmm" --help
has "--help lists the verbs" "$t/out" "screenshot"
check "--version exits 0" 0 "$vmm" --version
has "--version prints the package version" "$t/out" "thatte-vmm "
check "no verb is a usage error" 2 "$vmm"
check "unknown verb is a usage error" 2 "$vmm" frobnicate x
check "missing target is a usage error" 2 "$vmm" start
check "option the verb does not take" 2 "$vmm" kill good --json
check "bad --timeout" 2 "$vmm" stop good --timeout 0
check "check by name" 0 "$vmm" check good
check "check --cfg form" 0 "$vmm" --cfg "$t/config/thatte/vms/good.toml" check
check "check a bad profile" 2 "$vmm" check "$t/bad.toml"
has "error names FILE:LINE, memory in MiB" "$t/err" "$t/bad.toml:4: [vm] memory: a number of MiB, as in memory = 512 (not \"lots\")"
check "unknown name" 2 "$vmm" check nosuchvm
check "invalid name" 2 "$vmm" status '.hidden'
check "cmdline" 0 "$vmm" cmdline good --accel tcg
has "cmdline starts with QEMU's absolute path" "$t/out" "$t/bin/qemu-system-x86_64"
has "cmdline has -nodefaults" "$t/out" "-nodefaults"
has "cmdline puts the QMP socket in the runtime folder" "$t/out" "path=$t/run/thatte-vmm/good/qmp.sock,"
check "cmdline created nothing" 1 test -e "$t/run/thatte-vmm"
check "status of a VM that does not run" 1 "$vmm" status good --json
has "status --json says stopped" "$t/out" '"state":"stopped"'
check "list with no VMs" 0 "$vmm" list --json
has "list --json is an empty array" "$t/out" "[]"

# A crashed VM: runtime folder left behind, nobody holds the lock.
mkdir -p -m 700 "$t/run/thatte-vmm/good"
echo 1 >"$t/run/thatte-vmm/good/pid"
: >"$t/run/thatte-vmm/good/lock"
check "status of a crashed VM" 1 "$vmm" status good --json
has "status --json says crashed, pid not trusted" "$t/out" '"state":"crashed","pid":null'
check "list shows it" 0 "$vmm" list
has "list line, '-' for the pid it does not trust" "$t/out" "good                     crashed  -        -"
has "list has a header" "$t/out" "NAME                     STATE    PID      SYSTEM"
check "stop cleans a crashed VM's leftovers" 0 "$vmm" stop good
check "nothing left behind" 1 test -e "$t/run/thatte-vmm/good"
check "start fails cleanly when QEMU exits at once" 1 "$vmm" start good --accel tcg
has "start shows why" "$t/err" "QEMU exited during start-up"
check "nothing left behind after a failed start" 1 test -e "$t/run/thatte-vmm/good"

# --json, shares, and the verbs of a VM's daily life, without running one.
json=$top_builddir/tests/vmm/thatte-test-json
check "check --json" 0 "$vmm" check good --json
cp "$t/out" "$t/check.json"
check "check --json is one JSON object" 0 "$json" "$t/check.json" profile valid name
has "check --json says valid" "$t/check.json" '"valid":true'
check "check --json of a bad profile" 2 "$vmm" check "$t/bad.toml" --json
has "check --json says invalid" "$t/out" '"valid":false'
has "the error still names FILE:LINE" "$t/err" "$t/bad.toml:4:"
mkdir "$t/shared"
cp "$t/config/thatte/vms/good.toml" "$t/share.toml"
printf '[[share]]\npath = "shared"\ntag = "data"\n[[share]]\npath = "%s"\ntag = "rw"\nreadonly = false\n' \
        "$t/shared" >>"$t/share.toml"
check "cmdline with shares" 0 "$vmm" cmdline "$t/share.toml" --accel tcg
has "a share is read-only by default" "$t/out" "local,path=$t/shared,mount_tag=data,security_model=none,id=share0,readonly=on"
has "readonly = false shares read-write" "$t/out" "mount_tag=rw,security_model=none,id=share1
"
has "events get a monitor of their own" "$t/out" "path=$t/run/thatte-vmm/good/events.sock,"
printf '[[share]]\npath = "nosuchfolder"\ntag = "x"\n' >>"$t/share.toml"
check "a missing share folder" 2 "$vmm" check "$t/share.toml"
has "names FILE:LINE and the folder" "$t/err" "$t/share.toml:16: [share] path: $t/nosuchfolder:"
# arch = "aarch64": its own QEMU, virt, a 64-bit CPU, TCG even when KVM is asked for by auto.
printf '#!/bin/sh\nexit 3\n' >"$t/bin/qemu-system-aarch64"
chmod +x "$t/bin/qemu-system-aarch64"
printf '[vm]\nname = "arm"\narch = "aarch64"\n[boot]\nfirmware = "none"\nkernel = "arm.toml"\ncmdline = "console=ttyAMA0"\n' >"$t/arm.toml"
check "cmdline of an aarch64 VM" 0 "$vmm" cmdline "$t/arm.toml"
has "it runs qemu-system-aarch64" "$t/out" "$t/bin/qemu-system-aarch64"
has "on virt" "$t/out" "virt"
has "with a 64-bit CPU under TCG" "$t/out" "max,pauth-impdef=on"
# The foreign arch is the one this host is not (aarch64 on x86-64 hosts).
if [ "$(uname -m)" = aarch64 ]; then
        printf '[vm]\nname = "pc"\narch = "x86_64"\n[boot]\nfirmware = "none"\nkernel = "arm.toml"\n' >"$t/foreign.toml"
else
        cp "$t/arm.toml" "$t/foreign.toml"
fi
check "accel kvm for a foreign arch" 1 "$vmm" cmdline "$t/foreign.toml" --accel kvm
has "says why" "$t/err" "KVM runs only this host's architecture"
printf '[vm]\nname = "arm"\narch = "arm64"\n' >"$t/arm.toml"
check "a bad arch" 2 "$vmm" check "$t/arm.toml"
has "names FILE:LINE and the choices" "$t/err" "$t/arm.toml:3: [vm] arch: 'arm64' is not one of: x86_64, aarch64"
printf '[vm]\nname = "arm"\narch = "aarch64"\n[boot]\nfirmware = "bios"\n' >"$t/arm.toml"
check "BIOS on aarch64" 2 "$vmm" check "$t/arm.toml"
has "names the firmware's line" "$t/err" "$t/arm.toml:5: [boot] firmware = \"bios\" is x86-64 only"
check "save needs a file" 2 "$vmm" save good
check "save of a VM that does not run" 1 "$vmm" save good "$t/good.state"
check "save left no file" 1 test -e "$t/good.state"
check "restore of a missing file" 1 "$vmm" restore "$t/nosuch.state"
cp "$t/share.toml" "$t/not.state"
check "restore of something else" 1 "$vmm" restore "$t/not.state"
has "says it is no state file" "$t/err" "not a thatte-vmm state file"
check "the file is untouched" 0 cmp "$t/share.toml" "$t/not.state"
check "events of a VM that does not run" 1 "$vmm" events good
check "stop --json of a VM that does not run" 0 "$vmm" stop good --json
has "stop --json says how" "$t/out" '"how":"not-running"'
check "doctor --json with a QEMU that fails" 1 "$vmm" doctor --json
cp "$t/out" "$t/doctor.json"
check "doctor --json is one JSON object" 0 "$json" "$t/doctor.json" ok checks
has "doctor names the failing check" "$t/doctor.json" '"name":"qemu","status":"fail"'
check "doctor with THATTE_OVMF_VARS set" 1 env THATTE_OVMF_VARS="$t/no-vars.fd" "$vmm" doctor
has "  ... checks the variable store it names" "$t/out" "$t/no-vars.fd: not both readable"

# Systems (thatte-system.toml(5)): errors before any VM starts.
check "up needs a system file" 2 "$vmm" up
printf '[[vm]]\nprofile = "good"\nready = "x"\ntimout = 5\n' >"$t/sys.toml"
check "up of a system with a typo" 2 "$vmm" up "$t/sys.toml"
has "names FILE:LINE" "$t/err" "$t/sys.toml:4: unknown key 'timout' in [vm]"
printf '[[vm]]\nprofile = "good"\n[[vm]]\nprofile = "nosuch"\n' >"$t/sys.toml"
check "up of a system naming a missing profile" 2 "$vmm" up "$t/sys.toml"
has "names the system's line" "$t/err" "$t/sys.toml:3: [[vm]] profile 'nosuch' could not be loaded"
check "  ... and started nothing" 0 test -z "$("$vmm" list)"
printf '[[vm]]\nprofile = "good"\n[[vm]]\nprofile = "good"\n' >"$t/sys.toml"
check "a VM twice" 2 "$vmm" up "$t/sys.toml"
has "says so" "$t/err" "$t/sys.toml:3: VM 'good' is in the system twice"
check "down of a system that does not run" 0 "$vmm" down "$t/sys.toml"
has "down says so" "$t/out" "good: not running"
check "up --json of a bad system" 2 "$vmm" up "$t/sys.toml" --json
cp "$t/out" "$t/up.out"
check "  ... prints no JSON document" 0 test ! -s "$t/up.out"
check "down --json of a system that does not run" 0 "$vmm" down "$t/sys.toml" --json
cp "$t/out" "$t/down.json"
check "down --json is one JSON object" 0 "$json" "$t/down.json" system file vms
has "down --json names the system" "$t/down.json" "{\"system\":\"sys\",\"file\":\"$t/sys.toml\",\"vms\":["
has "down --json says each VM does not run" "$t/down.json" \
        '{"name":"good","profile":"good","stopped":true,"how":"not-running"},{"name":"good",'
check "a system name nowhere" 2 "$vmm" up nosuchsystem
has "says where it looked" "$t/err" "no system named 'nosuchsystem' (looked in \$XDG_CONFIG_HOME/thatte/systems"
mkdir -p "$t/config/thatte/systems"
printf '[[vm]]\nprofile = "good"\n' >"$t/config/thatte/systems/mine.toml"
check "down by system name" 0 "$vmm" down mine
has "finds it in \$XDG_CONFIG_HOME/thatte/systems" "$t/out" "good: not running"
printf '[vm]\nname = "ch"\nmemory = 64\n[boot]\nfirmware = "bios"\n[display]\ninput = true\n' >"$t/ch.toml"
printf '[[channel]]\nname = "c1"\nsize = 16\n' >>"$t/ch.toml"
check "cmdline with a channel" 0 "$vmm" cmdline "$t/ch.toml" --accel tcg
has "the channel's memory" "$t/out" "memory-backend-file,id=ch-c1,share=on,mem-path=$t/run/thatte-vmm/channels/c1,size=16M"
has "the ivshmem device" "$t/out" "ivshmem-plain,memdev=ch-c1"
has "the input devices" "$t/out" "virtio-tablet-pci"
check "cmdline created no channel" 1 test -e "$t/run/thatte-vmm/channels/c1"
printf '[[channel]]\nname = "c2"\nsize = 3\n' >>"$t/ch.toml"
check "a channel size not a power of two" 2 "$vmm" check "$t/ch.toml"
has "names FILE:LINE" "$t/err" "ch.toml:"

# One voice: suggestions, options named, errors in JSON, confirmations.
check "a mistyped verb" 2 "$vmm" strat good
has "  ... gets a suggestion" "$t/err" "unknown verb 'strat'; did you mean 'start'?"
check "a verb far from any" 2 "$vmm" frobnicate good
has "  ... gets none" "$t/err" "unknown verb 'frobnicate'; try 'thatte-vmm --help'"
check "an option the verb does not take" 2 "$vmm" list --force
has "  ... is named" "$t/err" "list does not take --force"
printf '[vm]\nname = "typo"\nmemroy = 64\n' >"$t/typo.toml"
check "a mistyped key" 2 "$vmm" check "$t/typo.toml"
has "  ... gets a suggestion" "$t/err" "typo.toml:3: unknown key 'memroy' in [vm]; did you mean 'memory'?"
printf '[vm]\nname = "unit"\nmemory = "512M"\n' >"$t/unit.toml"
check "memory with a unit" 2 "$vmm" check "$t/unit.toml"
has "  ... says memory is in MiB" "$t/err" "[vm] memory: a number of MiB, as in memory = 512 (not \"512M\")"
check "check --json of a bad profile, again" 2 "$vmm" check "$t/typo.toml" --json
has "  ... gives the FILE:LINE reason" "$t/out" "\"error\":\"$t/typo.toml:3: unknown key 'memroy' in [vm]; did you mean 'memory'?\""
check "status of no such VM" 2 "$vmm" status nosuch
has "  ... says so" "$t/err" "no such VM 'nosuch'"
check "status of a mistyped VM" 2 "$vmm" status goof
has "  ... suggests the profile" "$t/err" "no such VM 'goof'; did you mean 'good'?"
check "start of a mistyped profile" 2 "$vmm" start godo
has "  ... suggests the profile" "$t/err" "no profile named 'godo'; did you mean 'good'?"
check "status of a known VM that does not run" 1 "$vmm" status good
check "kill of a VM that does not run" 0 "$vmm" kill good
check "stop says what it did" 0 "$vmm" stop good
has "  ... in one line" "$t/out" "good: was not running"
check "stop -q" 0 "$vmm" stop good -q
check "  ... prints nothing" 0 test ! -s "$t/out"

# The state verbs and the agent's verbs: hostile names, tags and paths are
# usage errors that touch nothing; a name nothing knows is "no such VM".
mkdir -p "$t/state/thatte-vmm/kept" "$t/state/victim"
echo keep >"$t/state/victim/file"
for verb in log delete reset; do
        check "$verb of no such VM" 2 "$vmm" $verb nosuch
        has "  ... says so" "$t/err" "no such VM 'nosuch'"
        for name in .. . .hidden '' ../victim "$t/state/victim" "$t/state/victim/file" a/b; do
                check "$verb '$name'" 2 "$vmm" $verb "$name"
        done
done
check "snapshot of no such VM" 2 "$vmm" snapshot nosuch list
has "  ... says so" "$t/err" "no such VM 'nosuch'"
check "snapshot '..'" 2 "$vmm" snapshot .. list
check "snapshot '../victim'" 2 "$vmm" snapshot ../victim list
check "nothing outside the VMs' state was removed" 0 test -f "$t/state/victim/file"
for tag in .x ../x a/b 'a b' '' 'x;rm' "$(printf 'a\nb')" \
        xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; do
        check "snapshot tag '$(printf '%s' "$tag" | tr '\n' '?')'" 2 "$vmm" snapshot good save "$tag"
        has "  ... is not a tag" "$t/err" "is not a tag"
done
check "snapshot tag '-x' after --" 2 "$vmm" snapshot good load -- -x
has "  ... is not a tag" "$t/err" "is not a tag"
check "snapshot save without a tag" 2 "$vmm" snapshot good save
check "snapshot list with a tag" 2 "$vmm" snapshot good list t1
check "snapshot with no action" 2 "$vmm" snapshot good
check "snapshot with an unknown action" 2 "$vmm" snapshot good frob t1
check "snapshot of a VM without overlays" 1 "$vmm" snapshot good save t1
has "  ... says why" "$t/err" "has no disk overlays to snapshot"
check "reset of a known VM with no overlays" 0 "$vmm" reset good
has "  ... confirms" "$t/out" "good: 0 disk overlays reset"
check "delete -q of a VM with state" 0 "$vmm" delete kept -q
check "  ... prints nothing" 0 test ! -s "$t/out"
check "  ... and removed it" 1 test -e "$t/state/thatte-vmm/kept"
# A state folder start would refuse is not delete's to empty either.
mkdir "$t/elsewhere" && echo keep >"$t/elsewhere/file"
ln -s "$t/elsewhere" "$t/state/thatte-vmm/lnk"
check "delete of a state folder that is a link" 1 "$vmm" delete lnk
has "  ... says why" "$t/err" "not a folder of yours that only you may write"
check "  ... and removed nothing behind it" 0 test -f "$t/elsewhere/file"
mkdir -m 770 "$t/state/thatte-vmm/shared" && : >"$t/state/thatte-vmm/shared/f"
check "delete of a state folder others may write" 1 "$vmm" delete shared
check "  ... left it" 0 test -f "$t/state/thatte-vmm/shared/f"
check "exec without a command" 2 "$vmm" exec good --
check "exec with an empty argument" 2 "$vmm" exec good -- ''
check "exec on a VM that does not run" 125 "$vmm" exec good -- true
for dst in good:relative good:/a/../b good:/a//b good:/./x ../x:/p /local/only; do
        check "copy to '$dst'" 2 "$vmm" copy "$t/bad.toml" "$dst"
done
check "copy between two guests" 2 "$vmm" copy good:/a good:/b
# edit through a link (as /var/lib/thatte/vms/driveros.toml is one): the
# target changes, where its relative disk path resolves; the link stays.
mkdir "$t/img"
: >"$t/img/disk.img"
printf '[vm]\nname = "linked"\nmemory = 64\n[boot]\nfirmware = "bios"\n[[disk]]\npath = "disk.img"\n' \
        >"$t/img/linked.toml"
ln -s "$t/img/linked.toml" "$t/config/thatte/vms/linked.toml"
printf '#!/bin/sh\nsed -i "s/^memory = .*/memory = 96/" "$1"\n' >"$t/bin/editor"
chmod +x "$t/bin/editor"
check "edit of a mistyped profile" 2 env VISUAL=false "$vmm" edit godo
has "  ... suggests the profile" "$t/err" "no profile named 'godo'; did you mean 'good'?"
check "edit through a link" 0 env VISUAL="$t/bin/editor" "$vmm" edit linked
check "  ... changed the link's target" 0 grep -qx "memory = 96" "$t/img/linked.toml"
check "  ... and left the link a link" 0 test -L "$t/config/thatte/vms/linked.toml"
printf '#!/bin/sh\nsed -i "s/^memory = .*/memory = 80/" "$1"\n' >"$t/bin/editor80"
chmod +x "$t/bin/editor80"
check "edit with a blank \$VISUAL takes \$EDITOR" 0 env VISUAL=' ' EDITOR="$t/bin/editor80" "$vmm" edit linked
check "  ... which changed the profile" 0 grep -qx "memory = 80" "$t/img/linked.toml"
# edit of a profile in a folder the user cannot write (a shipped one): the
# copy in $XDG_CONFIG_HOME gets absolute paths, so it still checks out.
mkdir -p "$t/shipped" "$t/user/config"
: >"$t/shipped/ship.img"
printf '[vm]\nname = "ship"\nmemory = 64\n[boot]\nfirmware = "bios"\n[[disk]]\npath = "ship.img"\n' \
        >"$t/shipped/ship.toml"
as_user=
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
        chmod 755 "$t" && chown -R nobody "$t/user"
        # nobody must reach the program and the editor: not so in a private
        # build folder (dpkg-buildpackage in a 0700 temporary folder).
        runuser -u nobody -- test -x "$vmm" -a -x "$t/bin/editor" && as_user="runuser -u nobody --"
else
        chmod 555 "$t/shipped"
fi
if [ "$(id -u)" != 0 ] || [ -n "$as_user" ]; then
        check "edit of a profile in a folder it cannot write" 0 $as_user \
                env XDG_CONFIG_HOME="$t/user/config" VISUAL="$t/bin/editor" "$vmm" edit "$t/shipped/ship.toml"
        check "  ... saves a copy with the disk's absolute path" 0 \
                grep -qx "path = \"$t/shipped/ship.img\"" "$t/user/config/thatte/vms/ship.toml"
        check "  ... which checks out" 0 "$vmm" check "$t/user/config/thatte/vms/ship.toml"
        check "  ... with the change" 0 grep -qx "memory = 96" "$t/user/config/thatte/vms/ship.toml"
else
        n=$((n + 1)) && echo "ok $n # SKIP edit of an unwritable folder: root, and no runuser or nobody cannot run the programs here"
fi
chmod 755 "$t/shipped"
check "copy from a guest path with '..'" 2 "$vmm" copy good:/tmp/../etc/shadow "$t/x"
check "  ... leaves no file" 1 test -e "$t/x"

# send-key and pointer: everything checked before the VM is looked up.
check "send-key without keys" 2 "$vmm" send-key good
has "  ... says what it needs" "$t/err" "send-key NAME needs at least one KEY"
long=$(printf 'a%.0s' $(seq 300))
for key in nosuchkey ctrl- a--b 'ctrl-alt-dle' 'a"},{"type":"number","data":28' 'ret;reboot' "$(printf 'a\nb')" \
        "$long" 'a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q' 'A'; do
        check "send-key '$(printf '%.40s' "$key" | tr '\n' '?')'" 2 "$vmm" send-key good ret "$key"
        has "  ... says why" "$t/err" "send-key: "
done
has "  ... names the key it refused" "$t/err" "'A' is not a key"
check "send-key ctrl-alt-delet" 2 "$vmm" send-key good ctrl-alt-delet
has "  ... suggests delete" "$t/err" "did you mean 'delete'?"
check "send-key: 257 chords in one call" 2 "$vmm" send-key good $(printf 'a %.0s' $(seq 257))
for hold in 0 -5 10001 99999999999999999999 1e3 ' 5' 5ms ''; do
        check "--hold-time '$hold'" 2 "$vmm" send-key good a --hold-time "$hold"
done
check "send-key does not take --json" 2 "$vmm" send-key good a --json
check "send-key to a VM that does not run" 1 "$vmm" send-key good ctrl-alt-delete --hold-time 50
has "  ... says so" "$t/err" "is not running"
check "pointer without actions" 2 "$vmm" pointer good
for act in jump move: move:1 move:1,2,3 move:10001,0 move:99999999999999999999,1 move:0x10,1 'move: 1,2' \
        'move:1,2"}]' at:101,0 at:50.123,1 at:,5 click: click:nosuch 'click:left","down":false' \
        "press:$long"; do
        check "pointer '$(printf '%.40s' "$act")'" 2 "$vmm" pointer good click "$act"
        has "  ... says why" "$t/err" "pointer: "
done
check "pointer: 257 actions in one call" 2 "$vmm" pointer good $(printf 'click %.0s' $(seq 257))
check "pointer to a VM that does not run" 1 "$vmm" pointer good move:10,-10 click:right
has "  ... says so" "$t/err" "is not running"

echo "1..$n"
exit $fail
