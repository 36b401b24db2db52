#!/bin/bash
# direct-lib.sh: shared by the direct-boot tests (tests/boot/direct-*.sh):
# QEMU's -kernel loads thatte-mk.elf through its PVH note and the root task
# as -initrd, no firmware. Sourced after tests/integration/lib.sh.
#
# Environment: THATTE_MK_ELF, THATTE_ROOT_ELF (default: the build tree's).

b=${top_builddir:-}
kernel=${THATTE_MK_ELF:-${b:+$b/kernel/thatte-mk.elf}}
root=${THATTE_ROOT_ELF:-${b:+$b/kernel/root/thatte-root.elf}}
[ -n "$kernel" ] && [ -n "$root" ] || bail_out "set top_builddir, or THATTE_MK_ELF and THATTE_ROOT_ELF"

# The end of a boot: ready, a kernel panic, or a failed check of the root.
direct_end_re='^thatte-root: ready|^thatte-mk: panic:|^thatte-root: FAIL'

require_direct() {
        require_tool "$QEMU" "$@"
        [ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf or thatte-root.elf not built"
}

# direct_start ARGS...: boot the kernel and the root task with extra QEMU
# arguments (machine, memory, CPUs, command line).
direct_start() {
        qemu_start -vga std -kernel "$kernel" -initrd "$root" "$@"
}

# direct_wait TIMEOUT: until the boot ends (see direct_end_re); 0 when it
# ended with ready.
direct_wait() {
        wait_for_line "$serial_log" "$direct_end_re" "$1" || return 1
        ! grep -aqE '^thatte-mk: panic:|^thatte-root: FAIL' "$serial_log"
}
