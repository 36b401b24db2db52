# tests/display/lib-display.sh: shared by the display channel tests (bash,
# sourced after tests/integration/lib.sh and tests/driveros/lib-driveros.sh).
#
# DriverOS (an initramfs built by the build tree's thatte-driveros-make,
# the real compositor as thatte-init starts it) boots under QEMU with a
# virtio GPU, a virtio keyboard and tablet, and one ivshmem-plain device
# per channel, each backed by a file in $scratch, as thatte-vmm would give
# them (-object memory-backend-file,share=on + -device ivshmem-plain).
#
# disp_prepare [MAKE_ARG...]: requirements, the image ($image, $kernel).
# disp_channel NAME [MIB]: creates $scratch/NAME (default 16 MiB) and adds
#   it to $disp_qemu_args.
# disp_boot [-- CMDLINE...]: boots DriverOS with those channels.
# disp_boot_compositor: that, waiting for the compositor's marker.
# client_start NAME ARG...: thatte-display-client --file $scratch/NAME
#   --title NAME ARG... in the background; its output in $scratch/NAME.out,
#   its PID in client_pid[NAME].
# client_stop NAME [SIGNAL]: ends it (default TERM) and waits.
# window_place NAME: the X Y the compositor logged for NAME's window, or
#   nothing when its marker does not say.
# qmp_click X Y: the tablet to screen pixel X,Y, then a left click (QMP
#   input-send-event; the tablet's 0..32767 spans $screen_size).
# qmp_key QCODE: that key down and up.
# find_window SCREEN ARG...: runs display-find, its output as comments and
#   in $found (X Y).
#
# require_mk: thatte-mk.elf and thatte-root.elf ($mk_elf, $root_elf) built.
#
# THATTE_DISPLAY_CLIENT points at an installed client instead;
# THATTE_MK_ELF, THATTE_ROOT_ELF at an installed kernel and root task.

disp_client=${THATTE_DISPLAY_CLIENT:-${top_builddir:+$top_builddir/thatte-display-client}}
disp_find=${top_builddir:+$top_builddir/tests/display/display-find}
mk_elf=${THATTE_MK_ELF:-${top_builddir:+$top_builddir/kernel/thatte-mk.elf}}
root_elf=${THATTE_ROOT_ELF:-${top_builddir:+$top_builddir/kernel/root/thatte-root.elf}}
disp_timeout=${THATTE_DISPLAY_TIMEOUT:-240}
disp_qemu_args=()
declare -A client_pid

disp_cleanup() {
        local n
        for n in "${!client_pid[@]}"; do
                kill -KILL "${client_pid[$n]}" 2>/dev/null
        done
        [ -z "${mk_pid:-}" ] || kill -KILL "$mk_pid" 2>/dev/null
        lib_cleanup
}
trap disp_cleanup EXIT

require_mk() {
        [ -f "$mk_elf" ] && [ -f "$root_elf" ] || skip_all "thatte-mk.elf or thatte-root.elf not built"
}

disp_prepare() {
        require_tool "$QEMU"
        require_helpers
        require_driveros
        [ -x "$disp_client" ] || bail_out "thatte-display-client not built"
        [ -x "$disp_find" ] || bail_out "tests/display/display-find not built (make check builds it)"
        image=$scratch/image
        drv_build "$image" --modules=virtio_pci,virtio_gpu,virtio_input,evdev "$@" ||
                bail_out "thatte-driveros-make failed"
        diag "image built in $drv_build_seconds s (cache $drv_cache)"
        kernel=$image/vmlinuz
}

disp_channel() {
        local name=$1 mib=${2:-16}
        truncate -s "${mib}M" "$scratch/$name" || bail_out "cannot create the channel $name"
        disp_qemu_args+=(-object "memory-backend-file,id=ch-$name,share=on,mem-path=$(qemu_opt_escape "$scratch/$name"),size=${mib}M"
                -device "ivshmem-plain,memdev=ch-$name")
}

comp_marker='thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+'

# disp_boot [-- CMDLINE...]: extra words for the kernel's command line.
disp_boot() {
        [ "${1:-}" != -- ] || shift
        qemu_start -machine q35 -m 512 -no-reboot -vga none -device virtio-gpu-pci \
                -device virtio-keyboard-pci -device virtio-tablet-pci "${disp_qemu_args[@]}" \
                -kernel "$kernel" -initrd "$image/initrd.img" \
                -append "console=ttyS0 panic=-1 quiet $*"
}

# disp_boot_compositor: disp_boot, then the compositor's marker.
disp_boot_compositor() {
        disp_boot
        if ! wait_for_line "$serial_log" "$comp_marker" "$disp_timeout"; then
                diag_file "$serial_log"
                diag_file "$qemu_log"
                bail_out "the compositor did not start"
        fi
        screen_size=$(first_match "$serial_log" "$comp_marker")
        screen_size=${screen_size##* }
        diag "compositor up after $(seconds_since "$qemu_started_at") s: $screen_size"
}

client_start() {
        local name=$1
        shift
        "$disp_client" --file "$scratch/$name" --title "$name" "$@" >"$scratch/$name.out" 2>&1 &
        client_pid[$name]=$!
}

client_stop() {
        local pid=${client_pid[$1]:-}
        [ -n "$pid" ] || return 0
        kill "-${2:-TERM}" "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        unset "client_pid[$1]"
}

# wait_client NAME REGEX TIMEOUT: a line of the client's output.
wait_client() {
        wait_for_line "$scratch/$1.out" "$2" "$3"
}

window_place() {
        grep -aoE "thatte-compositor: client $1 [0-9]+x[0-9]+ at [0-9]+,[0-9]+" "$serial_log" |
                tail -n 1 | sed -E 's/.* at ([0-9]+),([0-9]+)$/\1 \2/'
}

find_window() {
        local out status
        out=$("$disp_find" "$@")
        status=$?
        diag "display-find ${*:2}: $out"
        found=$(printf '%s\n' "$out" | sed -n 's/^found \([0-9]*\) \([0-9]*\) .*/\1 \2/p')
        return $status
}

# check_window NAME SCREEN ARG...: two test points: the surface is on the
# screen, at the place the compositor logged (when it logs one).
check_window() {
        local name=$1 screen=$2 place
        shift 2
        if ! check "$name: its picture is on the screen" find_window "$screen" "$@"; then
                not_ok "$name: at the place the compositor logged"
                return 1
        fi
        place=$(window_place "$name")
        if [ -z "$place" ]; then
                ok "$name: at the place the compositor logged # SKIP the marker gives no place"
                return 0
        fi
        check "$name: at the place the compositor logged ($place)" test "$found" = "$place"
}

qmp_event() {
        printf '{"execute":"input-send-event","arguments":{"events":[%s]}}' "$1"
}

qmp_click() {
        local sw=${screen_size%x*} sh=${screen_size#*x} x y
        x=$((($1 * 32768 + sw / 2) / sw))
        y=$((($2 * 32768 + sh / 2) / sh))
        qmp "$(qmp_event "{\"type\":\"abs\",\"data\":{\"axis\":\"x\",\"value\":$x}},{\"type\":\"abs\",\"data\":{\"axis\":\"y\",\"value\":$y}}")" \
                "$(qmp_event '{"type":"btn","data":{"down":true,"button":"left"}}')" \
                "$(qmp_event '{"type":"btn","data":{"down":false,"button":"left"}}')" >/dev/null
}

qmp_key() {
        qmp "$(qmp_event "{\"type\":\"key\",\"data\":{\"down\":true,\"key\":{\"type\":\"qcode\",\"data\":\"$1\"}}}")" \
                "$(qmp_event "{\"type\":\"key\",\"data\":{\"down\":false,\"key\":{\"type\":\"qcode\",\"data\":\"$1\"}}}")" >/dev/null
}
