#!/bin/bash
# vmm-linux-real.sh: tests/kernel/vmm-linux-real (the guest Linux loader on
# Debian's own kernel) with a kernel to read. It takes the kernel from the
# DriverOS package cache; on a fresh machine the kernel tests run before
# DriverOS's have filled that cache, so thatte-driveros-make fetches it
# first, into the same cache the DriverOS tests then reuse.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/../driveros/lib-driveros.sh"

export THATTE_DRIVEROS_CACHE=$drv_cache
if [ -z "${THATTE_VMM_TEST_KERNEL:-}" ] &&
        ! compgen -G "$drv_cache/linux-image-*_amd64.tree/boot/vmlinuz-*" >/dev/null; then
        [ -x "$drv_make" ] || skip_all "no thatte-driveros-make to fetch Debian's kernel with"
        require_driveros
        drv_build "$scratch/img" || bail_out "thatte-driveros-make could not fetch Debian's kernel"
fi
"$top_builddir/tests/kernel/vmm-linux-real"
