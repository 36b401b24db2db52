# tests/compositor/qemu-common.sh: shared by the compositor's QEMU tests
# (bash, sourced after tests/integration/lib.sh and
# tests/driveros/lib-driveros.sh).
#
# comp_prepare ARGS_FILE MAKE_OPTION...: builds a DriverOS initramfs image
#   with the product's own thatte-driveros-make (its kernel package cache,
#   thatte-init as PID 1, the build tree's thatte-compositor) into
#   $scratch/image, adding test-runner and ARGS_FILE with --add; MAKE_OPTION
#   chooses the modules (--modules=...).
# comp_boot QEMU_ARG... -- CMDLINE: boots that kernel and initramfs, with
#   thatte-init running test-runner in place of the compositor.
# wait_for_count FILE REGEX COUNT TIMEOUT: like wait_for_line, for the
#   COUNT-th matching line.
# until_ok TIMEOUT CMD...: runs CMD every 0.2 s until it succeeds; at the
#   timeout runs it once more with its output shown and returns 1.
# comp_host_programs: sets comp and tool to the build tree's
#   thatte-compositor and channel-tool, for the host tests (bails out when
#   they are not built).
#
# THATTE_COMPOSITOR, THATTE_INIT, THATTE_DRIVEROS_MAKE point at installed
# programs instead of the build tree's.

test_runner=${top_builddir:+$top_builddir/tests/compositor/test-runner}
runner_in_image=/usr/libexec/thatte-test/test-runner

comp_prepare() {
        local args=$1
        shift
        require_tool "$QEMU"
        require_helpers
        require_driveros
        [ -x "$test_runner" ] || bail_out "tests/compositor/test-runner not built (make check builds it)"
        image=$scratch/image
        if ! drv_build "$image" --add "$test_runner=$runner_in_image" \
                --add "$args=/etc/thatte-test/compositor.args" "$@"; then
                bail_out "thatte-driveros-make failed"
        fi
        diag "image built in $drv_build_seconds s (cache $drv_cache)"
        kernel=$image/vmlinuz
}

comp_boot() {
        local qemu_args=()
        while [ "$1" != -- ]; do
                qemu_args+=("$1")
                shift
        done
        shift
        qemu_start -m 512 -no-reboot "${qemu_args[@]}" \
                -kernel "$kernel" -initrd "$image/initrd.img" \
                -append "console=ttyS0 panic=-1 thatte.compositor_path=$runner_in_image $*"
}

wait_for_count() {
        local file=$1 regex=$2 count=$3 end=$((SECONDS + $4))
        while :; do
                [ "$(grep -acE -- "$regex" "$file" 2>/dev/null)" -ge "$count" ] && return 0
                qemu_alive || return 2
                [ "$SECONDS" -lt "$end" ] || return 1
                sleep 0.2
        done
}

comp_host_programs() {
        comp=${top_builddir:-.}/thatte-compositor
        tool=${top_builddir:-.}/tests/compositor/channel-tool
        [ -x "$comp" ] && [ -x "$tool" ] || bail_out "thatte-compositor or channel-tool not built"
}

until_ok() {
        local end=$((SECONDS + $1))
        shift
        until "$@" >/dev/null; do
                [ "$SECONDS" -lt "$end" ] || { "$@"; return 1; }
                sleep 0.2
        done
}
