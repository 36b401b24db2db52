#!/bin/bash
# vmm-daily.sh: thatte-vmm's everyday features on a real DriverOS under QEMU
# (TCG unless THATTE_TEST_ACCEL), two boots of one image (busybox, a rescue
# shell on the serial console, which the test types into):
#   1. VM "daily" with two [[share]] folders and a [net] forward: thatte-init
#      mounts both; the guest reads a host file, the read-only share refuses
#      a write, the read-write one takes it; a listener in the guest answers
#      through the forward; a second VM wanting the same host port is refused
#      by name with nothing left running; `save` fails (QEMU cannot migrate a
#      mounted 9p share), leaving the VM running and no file; `events
#      --follow`, started before the VM, prints POWERDOWN and SHUTDOWN of
#      `stop` as JSON lines.
#   2. VM "driveros" (the image's own profile): `save` after boot, a corrupt
#      and a truncated copy are refused and left untouched, `restore` resumes
#      it (the compositor's gradient, no new boot on serial, the same shell
#      answers), an interrupted `save` leaves it running and no file.
#   3. `stop` right after `start`, while the kernel still boots: the first
#      press of the power button is lost, stop presses it again until the
#      guest powers itself off ("how":"powerdown", not "forced").
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_tool "$QEMU"
require_helpers
require_vmm
json=${THATTE_TEST_JSON:-$top_builddir/tests/vmm/thatte-test-json}
[ -x "$json" ] || bail_out "thatte-test-json not built: set top_builddir or THATTE_TEST_JSON"
accel=${THATTE_TEST_ACCEL:-tcg}
timeout=${drv_marker_timeout:-240}
plan 29

vms="daily busy driveros"
daily_cleanup() {
        local vm
        for vm in $vms; do
                "$drv_vmm" kill "$vm" >/dev/null 2>&1
        done
        [ -z "${events_pid:-}" ] || kill "$events_pid" 2>/dev/null
        [ -z "${console_pid:-}" ] || kill "$console_pid" 2>/dev/null
        lib_cleanup
}
trap daily_cleanup EXIT

rundir() { echo "$XDG_RUNTIME_DIR/thatte-vmm/$1"; }

# console NAME: the VM's serial console, fed from a FIFO held open on fd 8.
console() {
        [ -z "${console_pid:-}" ] || kill "$console_pid" 2>/dev/null
        exec 8>&-
        rm -f "$scratch/console.in"
        mkfifo "$scratch/console.in"
        exec 8<>"$scratch/console.in"
        "$drv_vmm" console "$1" <"$scratch/console.in" >/dev/null 2>&1 &
        console_pid=$!
}

# guest NAME COMMAND REGEX: types COMMAND into the guest's shell and waits
# for REGEX on its serial port (the echo of the command must not match).
guest() {
        local i
        for ((i = 0; i < 3; i++)); do
                printf '%s\n' "$2" >&8
                wait_for_line "$(rundir "$1")/serial.log" "$3" 20 && return 0
        done
        diag_file "$(rundir "$1")/serial.log" 15
        return 1
}

# ready NAME: waits for thatte-init's ready marker.
ready() {
        wait_for_line "$(rundir "$1")/serial.log" "thatte-init: ready" "$timeout" && return 0
        diag_file "$(rundir "$1")/serial.log"
        diag_file "$(rundir "$1")/qemu.log"
        return 1
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
        local p
        for ((;;)); do
                p=$((20000 + RANDOM % 30000))
                (: <"/dev/tcp/127.0.0.1/$p") 2>/dev/null || break
        done
        echo "$p"
}

# fetch PORT: the first line a TCP listener behind PORT sends, retried for
# 20 s (user networking accepts before the guest listens).
fetch() {
        local line end=$((SECONDS + 20))
        while [ $SECONDS -lt $end ]; do
                if exec 5<>"/dev/tcp/127.0.0.1/$1"; then
                        IFS= read -r -t 5 line <&5
                        exec 5<&-
                        [ -n "$line" ] && { printf '%s\n' "$line"; return 0; }
                fi 2>/dev/null
                sleep 0.5
        done
        return 1
}

img=$scratch/img
if ! check "image with busybox and a console shell built" \
        drv_build "$img" --include busybox-static --append thatte.shell=1; then
        bail_out "no image"
fi
token=t$RANDOM$RANDOM
port=$(free_port)
mkdir "$scratch/ro" "$scratch/rw"
echo "hello-$token" >"$scratch/ro/hello.txt"
sed -e 's/^name = "driveros"/name = "daily"/' \
    -e "s/^mode = \"user\"/mode = \"user\"\\nforwards = [\"tcp:$port:8080\"]/" \
    "$img/driveros.toml" >"$img/daily.toml"
printf '\n[[share]]\npath = "%s"\ntag = "ro"\n\n[[share]]\npath = "%s"\ntag = "rw"\nreadonly = false\n' \
        "$scratch/ro" "$scratch/rw" >>"$img/daily.toml"
sed -e 's/^name = "daily"/name = "busy"/' "$img/daily.toml" >"$img/busy.toml"

# ------------------------------------------------ 1. shares, forward, events
"$drv_vmm" events --follow daily >"$scratch/events.jsonl" 2>"$scratch/events.err" &
events_pid=$!
start=$(date +%s.%N)
check "start a VM with shares and a forward" "$drv_vmm" start --accel="$accel" "$img/daily.toml" ||
        diag_file "$(rundir daily)/qemu.log"
check "it boots" ready daily
diag "daily: ready after $(seconds_since "$start") s (accel $accel)"
check "thatte-init mounted both shares" \
        eval 'grep -aq "thatte-init: share ro mounted" "$(rundir daily)/serial.log" &&
              grep -aq "thatte-init: share rw mounted" "$(rundir daily)/serial.log"'
console daily
check "the guest reads a file written on the host" \
        guest daily 'echo "read:$(cat /mnt/ro/hello.txt)"' "^read:hello-$token"
check "a read-only share refuses writes" \
        guest daily 'echo x >/mnt/ro/new 2>/dev/null && echo ro:written || echo ro:refused' "^ro:refused"
check "nothing was written to the read-only folder" test ! -e "$scratch/ro/new"
guest daily "echo guest-$token >/mnt/rw/out.txt && echo rw:written" "^rw:written" >/dev/null
check "a read-write share keeps what the guest writes" grep -qx "guest-$token" "$scratch/rw/out.txt"
guest daily "ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && (echo fwd-$token | nc -l -p 8080 &) && echo nc:up" \
        "^nc:up" >/dev/null
check "the forward reaches a listener in the guest" test "$(fetch "$port")" = "fwd-$token"

"$drv_vmm" start --accel="$accel" "$img/busy.toml" >"$scratch/busy.out" 2>&1
status=$?
check "a second VM wanting the same host port is refused" test $status = 1
check "the error names the port" grep -q "tcp:$port .*already in use" "$scratch/busy.out" ||
        diag_file "$scratch/busy.out"
check "nothing of it is left running" eval '! "$drv_vmm" status busy >/dev/null && test ! -e "$(rundir busy)"'

"$drv_vmm" save daily "$scratch/daily.state" >"$scratch/save.out" 2>&1
status=$?
diag_file "$scratch/save.out" 3
check "save refused while a 9p share is mounted" test $status = 1
check "the failed save leaves the VM running and no file" \
        eval '"$drv_vmm" status daily >/dev/null && test -z "$(ls -A "$scratch" | grep "daily.state")"'
check "stop" "$drv_vmm" stop daily
wait "$events_pid"
events_pid=
check "events: a JSON object with timestamp, event and data on every line" \
        eval '"$json" "$scratch/events.jsonl" timestamp event data >/dev/null' || diag_file "$scratch/events.jsonl"
check "events: POWERDOWN then SHUTDOWN of the stop" \
        eval 'grep -A9 "\"event\":\"POWERDOWN\"" "$scratch/events.jsonl" | grep -q "\"event\":\"SHUTDOWN\""' ||
        diag_file "$scratch/events.jsonl"

# ------------------------------------------------ 2. save and restore
start=$(date +%s.%N)
"$drv_vmm" start --accel="$accel" "$img/driveros.toml" || diag_file "$(rundir driveros)/qemu.log"
check "the image's own profile boots" ready driveros
boot_s=$(seconds_since "$start")
state=$scratch/saved.state
check "save" eval '"$drv_vmm" save driveros "$state" --json >"$scratch/save.json"'
diag "$(cat "$scratch/save.json")"
check "save --json, and the VM is gone" \
        eval '"$json" "$scratch/save.json" name file bytes seconds >/dev/null && ! "$drv_vmm" status driveros >/dev/null'
cp "$state" "$scratch/corrupt.state"
size=$(stat -c %s "$state")
printf '\377' | dd of="$scratch/corrupt.state" bs=1 seek=$((size / 2)) conv=notrunc status=none
# The byte was 0xff already when the copy still equals the state: write another.
cmp -s "$state" "$scratch/corrupt.state" && \
        printf '\376' | dd of="$scratch/corrupt.state" bs=1 seek=$((size / 2)) conv=notrunc status=none
cp "$scratch/corrupt.state" "$scratch/corrupt.copy"
head -c $((size - 4096)) "$state" >"$scratch/truncated.state"
cp "$scratch/truncated.state" "$scratch/truncated.copy"
check "a corrupt state file is refused, untouched, nothing started" \
        eval '! "$drv_vmm" restore "$scratch/corrupt.state" 2>"$scratch/r1.err" &&
              grep -q "corrupt" "$scratch/r1.err" && cmp -s "$scratch/corrupt.state" "$scratch/corrupt.copy" &&
              test ! -e "$(rundir driveros)"'
check "a truncated state file is refused, untouched, nothing started" \
        eval '! "$drv_vmm" restore "$scratch/truncated.state" 2>"$scratch/r2.err" &&
              grep -q "truncated" "$scratch/r2.err" && cmp -s "$scratch/truncated.state" "$scratch/truncated.copy" &&
              test ! -e "$(rundir driveros)"'
# The log stays in the state folder; the restored VM goes on writing it.
log_size=$(stat -c %s "$XDG_STATE_HOME/thatte-vmm/driveros/serial.log")
start=$(date +%s.%N)
check "restore" "$drv_vmm" restore "$state" || diag_file "$scratch/qemu.log"
restore_s=$(seconds_since "$start")
diag "boot to ready: $boot_s s; restore: $restore_s s (accel $accel)"
if check "screenshot of the restored VM" "$drv_vmm" screenshot driveros -o "$scratch/restored.ppm"; then
        check "it shows the compositor's gradient" gradient_check "$scratch/restored.ppm"
else
        not_ok "it shows the compositor's gradient"
fi
console driveros
check "the restored guest's shell answers, without a new boot on serial, in the same log" \
        eval 'guest driveros "echo alive-$token" "^alive-$token" &&
              ! tail -c +$((log_size + 1)) "$(rundir driveros)/serial.log" | grep -aq "thatte-init: ready" &&
              grep -aq "thatte-init: ready" "$(rundir driveros)/serial.log"'

# An interrupted save: stopped while the stream flows, then SIGINT.
"$drv_vmm" save driveros "$scratch/interrupted.state" 2>"$scratch/int.err" &
save_pid=$!
end=$((SECONDS + 30))
while [ $SECONDS -lt $end ]; do
        tmp=$(find "$scratch" -maxdepth 1 -name '.interrupted.state.*' -size +1M | head -n 1)
        [ -n "$tmp" ] && break
        kill -0 "$save_pid" 2>/dev/null || break
        sleep 0.01
done
kill -STOP "$save_pid" 2>/dev/null
diag "interrupting the save at $(stat -c %s "$tmp" 2>/dev/null || echo '?') bytes"
kill -INT "$save_pid" 2>/dev/null
kill -CONT "$save_pid" 2>/dev/null
wait "$save_pid"
status=$?
diag_file "$scratch/int.err" 2
check "an interrupted save fails, leaves no file and the VM running" \
        eval 'test $status = 1 && test -z "$(find "$scratch" -maxdepth 1 -name "*interrupted.state*")" &&
              "$drv_vmm" status driveros >/dev/null'
check "stop the restored VM" "$drv_vmm" stop driveros

# ------------------------------------------------ 3. a stop right after start
"$drv_vmm" start --accel="$accel" "$img/driveros.toml" || diag_file "$(rundir driveros)/qemu.log"
check "stop right after start: the guest powers itself off, not forced" \
        eval '"$drv_vmm" stop --json driveros >"$scratch/early.json" &&
              grep -q "\"how\":\"powerdown\"" "$scratch/early.json"' || diag_file "$scratch/early.json"
finish
