#!/bin/bash
# guest-agent.sh: a way into a real DriverOS (TCG unless THATTE_TEST_ACCEL),
# as a user runs it, with no console typing and no network set up by hand:
# `thatte-vmm exec` right after `start` waits for the agent and returns the
# command's output and exit status; `copy` moves a file in and back out
# unchanged and refuses what it must; thatte-init brought eth0 up by itself,
# so a web server started with exec answers through the profile's forward.
# Images are named after their folders: a second one ("img2") runs beside
# the first with state of its own, started by thatte-driveros-run, which
# names the serial log kept in that state when the guest misses its marker.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_tool "$QEMU"
require_helpers
require_vmm
accel=${THATTE_TEST_ACCEL:-tcg}
drv_run=${THATTE_DRIVEROS_RUN:-$top_builddir/thatte-driveros-run}
drv_name=        # the tool's own naming: after the output folder
plan 31

img=$scratch/img
check "image with busybox built" drv_build "$img" --include busybox-static || bail_out "no image"
name=$(drv_profile_value "$img" name)
check "the VM is named after the image's folder" test "$name" = img
vm_cleanup() {
        "$drv_vmm" kill "$name" >/dev/null 2>&1
        "$drv_vmm" kill img2 >/dev/null 2>&1
        lib_cleanup
}
trap vm_cleanup EXIT
port=$((20000 + RANDOM % 30000))
sed -i "s/^mode = \"user\"/mode = \"user\"\\nforwards = [\"tcp:$port:8080\"]/" "$img/driveros.toml"
rundir=$XDG_RUNTIME_DIR/thatte-vmm/$name

check "start" "$drv_vmm" start --accel="$accel" "$img/driveros.toml"
check "the agent's socket is private" test "$(stat -c %a "$rundir/agent.sock")" = 600
start=$(date +%s.%N)
out=$("$drv_vmm" exec "$name" -- /bin/busybox sh -c 'echo to-out; echo to-err >&2; exit 7' 2>"$scratch/err")
status=$?
diag "exec answered $(seconds_since "$start") s after start (boot included, accel $accel)"
check "exec right after start: stdout" test "$out" = to-out || diag_file "$rundir/serial.log"
check "... stderr" grep -qx to-err "$scratch/err"
check "... exit status" test $status = 7
"$drv_vmm" exec "$name" -- no-such-program 2>"$scratch/err"
check "a missing program: 127" test $? = 127
check "... and why" grep -q "no-such-program: No such file" "$scratch/err"
check "thatte-init brought the network up" grep -aq "thatte-init: network eth0 up: 10.0.2.15/24" "$rundir/serial.log"
check "the guest sees its address" grep -q "inet addr:10.0.2.15" <("$drv_vmm" exec "$name" -- busybox ifconfig eth0)

# Two at once: the second waits for the first (QEMU takes one client on
# the agent's socket) and then works, as two shells would.
"$drv_vmm" exec "$name" -- busybox sh -c 'echo first-started; busybox sleep 3; echo first-done' \
        >"$scratch/first.out" 2>&1 &
first_pid=$!
wait_for_line "$scratch/first.out" first-started 30
out=$("$drv_vmm" exec --timeout 30 "$name" -- busybox echo second 2>"$scratch/err")
check "a second exec while one runs waits its turn, then works" test "$out" = second || diag_file "$scratch/err"
wait "$first_pid"
check "... and the first was not disturbed" eval 'test $? = 0 && grep -qx first-done "$scratch/first.out"'

head -c 200000 /dev/urandom >"$scratch/blob"
check "copy a file in" "$drv_vmm" copy "$scratch/blob" "$name:/tmp/"
check "the guest has it, byte for byte" test "$("$drv_vmm" exec "$name" -- busybox sha256sum /tmp/blob | cut -d' ' -f1)" = \
        "$(sha256sum "$scratch/blob" | cut -d' ' -f1)"
mkdir "$scratch/back"
check "copy it back out into a folder" "$drv_vmm" copy "$name:/tmp/blob" "$scratch/back"
check "... unchanged" cmp "$scratch/blob" "$scratch/back/blob"
"$drv_vmm" copy "$name:/no/such/file" "$scratch/none" 2>"$scratch/err"
check "copy of a missing guest file fails" test $? = 1
check "... says why and leaves nothing" eval 'grep -q "No such file" "$scratch/err" && ! ls "$scratch"/none* 2>/dev/null'
"$drv_vmm" copy "$scratch/blob" "$name:/tmp/../etc/x" 2>/dev/null
check "a guest path with '..' is a usage error" test $? = 2

echo "served-$port" >"$scratch/index.html"
"$drv_vmm" exec "$name" -- busybox mkdir -p /tmp/www && "$drv_vmm" copy "$scratch/index.html" "$name:/tmp/www/"
check "a web server started with exec" "$drv_vmm" exec "$name" -- busybox httpd -p 8080 -h /tmp/www
reply=
if exec 5<>"/dev/tcp/127.0.0.1/$port"; then
        printf 'GET /index.html HTTP/1.0\r\n\r\n' >&5
        reply=$(timeout 20 cat <&5)
        exec 5<&-
fi 2>/dev/null
check "the forward reaches it" grep -q "served-$port" <<<"$reply"

check "a second image, in another folder" drv_build "$scratch/img2"
check "thatte-driveros-run starts it beside the first" \
        eval '"$drv_run" "$scratch/img2" --headless --accel "$accel" >"$scratch/run.out" 2>&1' ||
        diag_file "$scratch/run.out"
check "... and says how to stop it, by its name" grep -q "thatte-vmm stop img2" "$scratch/run.out"
check "both run" test "$("$drv_vmm" list | grep -cE '^(img|img2) +running')" = 2
check "each has a state folder of its own" \
        test -s "$XDG_STATE_HOME/thatte-vmm/img/serial.log" -a -s "$XDG_STATE_HOME/thatte-vmm/img2/serial.log"
"$drv_vmm" kill img2 >/dev/null
"$drv_run" "$scratch/img2" --headless --accel "$accel" --timeout 1 >"$scratch/miss.out" 2>&1
check "a missed ready marker: thatte-driveros-run fails" test $? = 1
check "... naming the serial log kept in the state folder" eval '
        grep -qF "serial log is kept in $XDG_STATE_HOME/thatte-vmm/img2/serial.log (thatte-vmm log img2)" \
                "$scratch/miss.out" && test -s "$XDG_STATE_HOME/thatte-vmm/img2/serial.log"' || diag_file "$scratch/miss.out"
check "... and stops the VM" eval '! "$drv_vmm" status img2 >/dev/null 2>&1'
"$drv_vmm" kill "$name" >/dev/null
"$drv_vmm" exec "$name" -- true 2>"$scratch/err"
check "exec on a VM that does not run: 125" test $? = 125
finish
