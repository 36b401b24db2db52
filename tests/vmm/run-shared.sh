#!/bin/bash
# tests/vmm/run-shared.sh: a VM that `run` keeps in the foreground is
# there for every other verb as one that `start` started: status answers
# at once with its accelerator and display, screenshot works, a second
# console and a second events listener are both refused at once as busy,
# and save takes the VM away (run then ends, exit 0) for restore to bring
# back. Then a QEMU that does not answer (stopped with SIGSTOP): status,
# screenshot, save and stop give up within their timeouts with a clear
# message, even when several ask at once (a full listen backlog). save of
# a VM with a 9p share or a display channel is refused at once, saying why.
# send-key and pointer reach a run VM's keyboard and PS/2 mouse; at:X,Y
# needs a tablet ([display] input = true), refused without one.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"
use_efi_hello
json=${THATTE_TEST_JSON:-$top_builddir/tests/vmm/thatte-test-json}
[ -x "$json" ] || bail_out "thatte-test-json not built: set top_builddir or THATTE_TEST_JSON"
trap 'for v in efi-hello shared chan; do "$vmm" kill $v >/dev/null 2>&1; done; [ -z "${qemu_pid:-}" ] || kill -CONT "$qemu_pid" 2>/dev/null; lib_cleanup' EXIT

plan 23

# ms CMD...: runs CMD, its output into $scratch/out, $scratch/err; sets $took (ms).
ms() {
        local t0=$(date +%s%N)
        "$@" >"$scratch/out" 2>"$scratch/err"
        status=$?
        took=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# The guest never prints this, so the terminal stays with run until the VM ends.
"$pty" --wait-for "never printed" --timeout 600 -- "$vmm" run "$profile" --accel "$accel" >"$scratch/run.log" 2>&1 &
run_pid=$!
check "run boots in the foreground" wait_for_line "$rundir/serial.log" "$marker" 240 || diag_file "$scratch/run.log"

ms "$vmm" status efi-hello --json
diag "status took $took ms"
check "status of a run VM answers at once (< 1.5 s)" test "$took" -lt 1500
check "  ... with its accelerator and display" \
        eval 'grep -q "\"state\":\"running\".*\"accel\":\"$accel\".*\"device\":\"VGA\"" "$scratch/out"' ||
        diag_file "$scratch/out"
check "screenshot of a run VM" "$vmm" screenshot efi-hello -o "$scratch/screen.ppm"
check "  ... shows the gradient" gradient_check --expect-size 1024x768 "$scratch/screen.ppm"
check "send-key to a run VM" "$vmm" send-key efi-hello shift-a b ret --hold-time 10
check "pointer moves and clicks its PS/2 mouse" "$vmm" pointer efi-hello move:-250,120 click:right
ms "$vmm" pointer efi-hello at:50,50
check "  ... at:X,Y is refused without a tablet, saying so" \
        eval 'test $status = 1 && grep -q "has no absolute pointer" "$scratch/err"' || diag_file "$scratch/err"

ms "$vmm" console efi-hello </dev/null
check "a second console is refused at once as busy" \
        eval 'test $status = 1 -a $took -lt 1500 && grep -q "another console is attached" "$scratch/err"' ||
        diag_file "$scratch/err"
"$vmm" events efi-hello >"$scratch/events1" 2>&1 &
events_pid=$!
# Until the first listener holds the lock (a loaded machine can take
# seconds); the second is bounded so that a lost race fails, never hangs.
for _ in $(seq 1200); do
        flock -n "$rundir/events.lock" true 2>/dev/null || break
        sleep 0.05
done
ms timeout 10 "$vmm" events efi-hello
check "a second events listener is refused at once as busy" \
        eval 'test $status = 1 -a $took -lt 1500 && grep -q "another .events. listener is attached" "$scratch/err"' ||
        diag_file "$scratch/err"

check "save of a run VM" "$vmm" save efi-hello "$scratch/vm.state"
wait "$run_pid"
check "  ... run ends with it, exit 0" test $? = 0 || diag_file "$scratch/run.log"
wait "$events_pid"
check "  ... the first events listener saw it stop" grep -q '"event":"STOP"' "$scratch/events1" ||
        diag_file "$scratch/events1"
check "restore brings it back" "$vmm" restore "$scratch/vm.state"

# A QEMU that does not answer: its process stopped.
qemu_pid=$(cat "$rundir/pid")
kill -STOP "$qemu_pid"
for i in 1 2 3; do "$vmm" status efi-hello >"$scratch/st$i" 2>&1 & done
ms "$vmm" status efi-hello
wait
diag "status of a stuck QEMU took $took ms"
check "status of a stuck QEMU gives up within 3 s" test "$took" -lt 3000
check "  ... saying QMP does not answer" grep -q "does not answer on its QMP socket" "$scratch/err" ||
        diag_file "$scratch/err"
ms "$vmm" screenshot efi-hello -o "$scratch/stuck.ppm"
check "screenshot of a stuck QEMU fails within 6 s, saying why" \
        eval 'test $status = 1 -a $took -lt 6000 && grep -q "does not answer on its QMP socket.*kill efi-hello" "$scratch/err"' ||
        diag_file "$scratch/err"
ms "$vmm" save efi-hello "$scratch/stuck.state"
check "save of a stuck QEMU fails within 6 s, no file" \
        eval 'test $status = 1 -a $took -lt 6000 -a ! -e "$scratch/stuck.state"' || diag_file "$scratch/err"
ms "$vmm" stop efi-hello --timeout 3
check "stop of a stuck QEMU ends it within its timeout" eval 'test $status = 0 -a $took -lt 5000 -a ! -e "$rundir"' ||
        diag_file "$scratch/err"
qemu_pid=

# save of a VM with a 9p share, or a display channel: refused at once, THATTE's reason.
mkdir -p "$scratch/shared" "$scratch/vms"
# The copies name their ESP relative to themselves, as the profile does.
for img in "$(dirname -- "$profile")"/*.img; do
        [ -e "$scratch/vms/${img##*/}" ] || cp -- "$img" "$scratch/vms/"
done
sed -e 's/^name = .*/name = "shared"/' "$profile" >"$scratch/vms/shared.toml"
printf '\n[[share]]\npath = "%s"\ntag = "data"\n' "$scratch/shared" >>"$scratch/vms/shared.toml"
sed -e 's/^name = .*/name = "chan"/' -e '/^height = /a input = true' "$profile" >"$scratch/vms/chan.toml"
printf '\n[[channel]]\nname = "c1"\nsize = 4\n' >>"$scratch/vms/chan.toml"
for vm in shared chan; do
        "$vmm" start "$scratch/vms/$vm.toml" --accel "$accel" -q 2>"$scratch/err" || diag_file "$scratch/err"
        if [ "$vm" = chan ]; then       # it has a tablet too ([display] input = true)
                "$vmm" pointer chan at:25,75.5 click 2>"$scratch/tablet.err"
                tablet_status=$?
        fi
        ms "$vmm" save "$vm" "$scratch/$vm.state"
        "$vmm" kill "$vm" -q
        eval "took_$vm=\$took status_$vm=\$status"
        cp "$scratch/err" "$scratch/$vm.err"
done
check "pointer at:X,Y on a VM with a tablet" test "$tablet_status" = 0 || diag_file "$scratch/tablet.err"
check "save with a 9p share is refused at once (< 1 s), no file" \
        eval 'test $status_shared = 1 -a $took_shared -lt 1000 -a ! -e "$scratch/shared.state"'
check "  ... saying why" grep -q "shares $scratch/shared with the guest (9p tag 'data'): a mounted 9p folder cannot be saved" \
        "$scratch/shared.err" || diag_file "$scratch/shared.err"
check "save with a display channel is refused at once, saying why" \
        eval 'test $status_chan = 1 -a $took_chan -lt 1000 && grep -q "maps display channel .c1." "$scratch/chan.err"' ||
        diag_file "$scratch/chan.err"
finish
