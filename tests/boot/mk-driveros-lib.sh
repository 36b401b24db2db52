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
