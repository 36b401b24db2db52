# tests/compositor/qemu-common.sh: shared by the compositor's QEMU tests
# (bash, sourced after tests/integration/lib.sh).
#
# comp_prepare ARGS_FILE MODULE...: checks the tools, gets Debian's kernel
#   (fetch-kernel.sh, cached), builds $scratch/initrd.img holding test-init,
#   thatte-compositor, ARGS_FILE and the modules with their dependencies.
# comp_boot QEMU_ARG... -- CMDLINE: boots that kernel and initramfs.
# wait_for_count FILE REGEX COUNT TIMEOUT: like wait_for_line, for the
#   COUNT-th matching line.
#
# THATTE_COMPOSITOR points at an installed thatte-compositor instead of the
# build tree's.

comp_dir=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
compositor=${THATTE_COMPOSITOR:-${top_builddir:+$top_builddir/thatte-compositor}}
test_init=${top_builddir:+$top_builddir/tests/compositor/test-init}

comp_prepare() {
        local args=$1 status
        shift
        require_tool "$QEMU" cpio apt-cache apt-get dpkg-deb flock
        require_helpers
        [ -x "$compositor" ] || bail_out "thatte-compositor not built (set top_builddir)"
        [ -x "$test_init" ] || bail_out "tests/compositor/test-init not built (make check builds it)"
        kernel_tree=$(sh "$comp_dir/fetch-kernel.sh")
        status=$?
        [ "$status" = 77 ] && skip_all "Debian's kernel package cannot be downloaded with apt"
        [ "$status" = 0 ] || bail_out "fetching the kernel failed"
        kernel=$(echo "$kernel_tree"/boot/vmlinuz-*)
        diag "kernel $kernel"
        sh "$comp_dir/mkinitramfs.sh" "$scratch/initrd.img" "$kernel_tree" "$test_init" \
                "$compositor" "$args" "$@"
}

comp_boot() {
        local qemu_args=()
        while [ "$1" != -- ]; do
                qemu_args+=("$1")
                shift
        done
        shift
        qemu_start -m 512 -no-reboot "${qemu_args[@]}" \
                -kernel "$kernel" -initrd "$scratch/initrd.img" \
                -append "console=ttyS0 panic=-1 $*"
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
