#!/bin/sh
# tests/vmm/cli.sh: thatte-vmm's command line without starting a VM: exit
# statuses, FILE:LINE errors, name lookup, cmdline output, status and list
# of VMs that do not run, a crashed VM's leftovers.
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
check "option the verb does not take" 2 "$vmm" check good --json
check "bad --timeout" 2 "$vmm" stop good --timeout 0
check "check by name" 0 "$vmm" check good
check "check --cfg form" 0 "$vmm" --cfg "$t/config/thatte/vms/good.toml" check
check "check a bad profile" 2 "$vmm" check "$t/bad.toml"
has "error names FILE:LINE" "$t/err" "$t/bad.toml:4: [vm] memory: expected an integer, got a string"
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
has "list line" "$t/out" "good"
check "stop cleans a crashed VM's leftovers" 0 "$vmm" stop good
check "nothing left behind" 1 test -e "$t/run/thatte-vmm/good"
check "start fails cleanly when QEMU exits at once" 1 "$vmm" start good --accel tcg
has "start shows why" "$t/err" "QEMU exited during start-up"
check "nothing left behind after a failed start" 1 test -e "$t/run/thatte-vmm/good"

echo "1..$n"
exit $fail
