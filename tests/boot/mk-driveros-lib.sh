# tests/boot/mk-driveros-lib.sh: sourced by the tests that boot DriverOS
# as the guest of thatte-kvmm under thatte-mk (mk-driveros-*.sh): the
# integration, boot-chain and DriverOS libraries, the timeouts, the lines
# that mean failure, and what they all need.
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/chain-inputs.sh"
. "$here/../driveros/lib-driveros.sh"

boot_timeout=300
linux_timeout=${THATTE_KVMM_LINUX_TIMEOUT:-600}
fail_re='^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: FAIL'

# mk_driveros_require TOOL...: thatte-mk, the root task, thatte-mkboot,
# QEMU, the TOOLs and what builds a DriverOS image (skip or fail without).
mk_driveros_require() {
        [ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf and thatte-root.elf not built"
        [ -x "$mkboot" ] || skip_all "thatte-mkboot not built"
        require_tool "$QEMU" "$@"
        require_driveros
        export THATTE_DRIVEROS_CACHE=$drv_cache
}

# mk_driveros_bundle CMDLINE [DRV_BUILD_ARG...]: DriverOS's image in
# $scratch/img, then the direct boot's bundle $scratch/bundle.cpio with it,
# the root task and CMDLINE (bails out without either).
mk_driveros_bundle() {
        local cmdline=$1
        shift
        drv_build "$scratch/img" "$@" || bail_out "thatte-driveros-make could not build the DriverOS image"
        "$mkboot" --direct -o "$scratch/bundle.cpio" --root "$root" --guest-kernel "$scratch/img/vmlinuz" \
                --guest-initrd "$scratch/img/initrd.img" --guest-cmdline "$cmdline" >"$scratch/mkboot.log" 2>&1 ||
                { diag_file "$scratch/mkboot.log"; bail_out "thatte-mkboot --direct made no bundle"; }
}
