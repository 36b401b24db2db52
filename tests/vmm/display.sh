#!/bin/bash
# tests/vmm/display.sh: where a VM's screen goes (--display, [display] ui).
# Without a real VM: the default follows DISPLAY/WAYLAND_DISPLAY, gtk or sdl
# without a window system is a usage error, a bad ui is FILE:LINE. With real
# QEMU (SeaBIOS, no disk: it waits at "No bootable device"): vnc and spice
# listen on 0600 Unix sockets in the runtime folder (QMP query-vnc,
# query-spice say so), which goes with them at stop; under Xvfb the default opens a gtk (or sdl) window
# named after the VM. The Xvfb part skips without Xvfb, xwininfo or
# QEMU's window modules (Debian: xvfb, x11-utils, qemu-system-gui) unless
# THATTE_REQUIRE_INTEGRATION=1.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/vmm/lib-vmm.sh"

profile=$scratch/dtest.toml
rundir=$XDG_RUNTIME_DIR/thatte-vmm/dtest
printf '[vm]\nname = "dtest"\nmemory = 64\n[boot]\nfirmware = "bios"\n' >"$profile"
xvfb_pid=
display_cleanup() {
        "$vmm" kill dtest >/dev/null 2>&1
        [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null
        lib_cleanup
}
trap display_cleanup EXIT

# display_of ARG...: the value after -display in `cmdline`'s output.
display_of() { "$vmm" cmdline "$profile" "$@" | sed -n '/^-display$/{n;p;q}'; }

plan 19

check "no window system: -display none" test "$(env -u DISPLAY -u WAYLAND_DISPLAY bash -c \
        "$(declare -f display_of); vmm='$vmm' profile='$profile' display_of")" = none
offered=$("$QEMU" -display help 2>/dev/null)
window=none
grep -qx gtk <<<"$offered" && window=gtk
[ $window = none ] && grep -qx sdl <<<"$offered" && window=sdl
check "DISPLAY set: a window ($window, as this QEMU offers)" test "$(DISPLAY=:99 display_of)" = $window
check "WAYLAND_DISPLAY set: a window too" test "$(WAYLAND_DISPLAY=wayland-9 display_of)" = $window
env -u DISPLAY -u WAYLAND_DISPLAY "$vmm" cmdline "$profile" --display=gtk >/dev/null 2>"$scratch/err"
check "--display=gtk without a window system is a usage error" test $? = 2
check "... saying why" grep -q "neither DISPLAY nor WAYLAND_DISPLAY" "$scratch/err"
check "--display=vnc: a Unix socket in the runtime folder" \
        grep -qx "unix:$rundir/vnc.sock" <("$vmm" cmdline "$profile" --display=vnc)
printf '[vm]\nname = "dtest"\n[display]\nui = "vnc"\n' >"$scratch/ui.toml"
check "[display] ui = \"vnc\" in a profile" grep -qx -- -vnc <("$vmm" cmdline "$scratch/ui.toml")
printf '[vm]\nname = "dtest"\n[display]\nui = "x11"\n' >"$scratch/bad.toml"
"$vmm" check "$scratch/bad.toml" 2>"$scratch/err"
check "a bad ui is FILE:LINE" grep -q "bad.toml:4:" "$scratch/err"

# vnc_or_spice UI QUERY: starts the VM with --display=UI and checks the socket.
vnc_or_spice() {
        local sock=$rundir/$1.sock reply
        check "start --display=$1" "$vmm" start "$profile" --accel "$accel" --display="$1" || return
        check "$1.sock is private" test "$(stat -c %a "$sock" 2>/dev/null)" = 600
        reply=$("$test_qmp" "$rundir/qmp.sock" "{\"execute\":\"$2\"}")
        check "$2: enabled on the socket" grep -q "\"enabled\": *true.*$sock\|$sock.*\"enabled\": *true" <<<"$reply" ||
                diag "$reply"
        "$vmm" stop dtest --force >/dev/null 2>&1
        check "stop: the runtime folder goes, $1.sock with it" test ! -e "$rundir" || ls -la "$rundir" >&2
}
vnc_or_spice vnc query-vnc
vnc_or_spice spice query-spice

# A window under Xvfb.
if ! command -v Xvfb >/dev/null || ! command -v xwininfo >/dev/null || [ $window = none ]; then
        why="no Xvfb, xwininfo or QEMU window module (Debian: xvfb, x11-utils, qemu-system-gui)"
        [ "${THATTE_REQUIRE_INTEGRATION:-0}" = 1 ] && bail_out "$why"
        for i in 1 2 3; do echo "ok $((tap_count + i)) # SKIP $why"; done
        tap_count=$((tap_count + 3))
        finish
fi
Xvfb -displayfd 5 -nolisten tcp -screen 0 1280x1024x24 5>"$scratch/xdisplay" 2>"$scratch/xvfb.log" &
xvfb_pid=$!
for ((i = 0; i < 100; i++)); do [ -s "$scratch/xdisplay" ] && break; sleep 0.1; done
export DISPLAY=:$(cat "$scratch/xdisplay")
check "start under Xvfb, display left to auto" "$vmm" start "$profile" --accel "$accel" || diag_file "$rundir/qemu.log"
check "QEMU got -display $window" grep -qx -- "$window" <(tr '\0' '\n' <"/proc/$(cat "$rundir/pid")/cmdline")
for ((i = 0; i < 100; i++)); do
        xwininfo -root -tree 2>/dev/null | grep -q '"QEMU (dtest)' && break
        sleep 0.2
done
check "a window named after the VM" grep -q '"QEMU (dtest)' <(xwininfo -root -tree 2>&1) ||
        diag_file "$rundir/qemu.log"
finish
