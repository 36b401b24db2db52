#!/bin/bash
# boot-arm64.sh: thatte-driveros-make --arch arm64, from Debian's arm64
# kernel package and the cross-built static arm64 compositor and
# thatte-init (configure --with-aarch64-cc), boots under thatte-vmm on
# qemu-system-aarch64 -machine virt (TCG) to the gradient: the profile says
# arch = "aarch64" and console=ttyAMA0, the MANIFEST arch arm64, the initrd
# holds arm64 modules with gpio_keys (virt's power button); thatte-init's
# ready marker and the compositor's reach ttyAMA0, the screenshot is the
# default picture, `thatte-vmm stop` powers it off. An x86-64 compositor
# for an arm64 image is refused before anything is downloaded. With
# THATTE_ARM64_GUEST_DIR (the installed packages' arm64 folder) the image
# is made with no --compositor and --init: the tool finds them itself.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

host_compositor=$drv_compositor
if [ -n "${THATTE_ARM64_GUEST_DIR:-}" ]; then
        # The installed packages (debian/tests/driveros-arm64): the programs
        # are there, and thatte-driveros-make must find them by itself.
        [ -x "$THATTE_ARM64_GUEST_DIR/thatte-compositor" ] && [ -x "$THATTE_ARM64_GUEST_DIR/thatte-init" ] ||
                bail_out "no arm64 compositor and thatte-init in $THATTE_ARM64_GUEST_DIR"
        drv_compositor=$THATTE_ARM64_GUEST_DIR/thatte-compositor drv_init=$THATTE_ARM64_GUEST_DIR/thatte-init
else
        drv_compositor=${THATTE_ARM64_COMPOSITOR:-${top_builddir:+$top_builddir/arm64/thatte-compositor}}
        drv_init=${THATTE_ARM64_INIT:-${top_builddir:+$top_builddir/arm64/thatte-init}}
        [ -x "$drv_compositor" ] && [ -x "$drv_init" ] ||
                skip_all "no arm64 compositor and thatte-init (configure found no arm64 cross compiler:" \
                         "gcc-aarch64-linux-gnu, libdrm-dev:arm64)"
fi
require_driveros
[ -z "${THATTE_ARM64_GUEST_DIR:-}" ] || drv_compositor= drv_init=
require_tool qemu-system-aarch64
apt-cache show --no-all-versions linux-image-arm64:arm64 >/dev/null 2>&1 ||
        skip_all "apt knows no linux-image-arm64:arm64 (dpkg --add-architecture arm64; apt-get update)"
require_helpers
require_vmm
plan 11

img=$scratch/img
check "an x86-64 compositor is refused for arm64" \
        sh -c '! "$1" --arch arm64 --compositor "$2" -o "$3" 2>"$4" && grep -q "is not an arm64 program" "$4"' \
        - "$drv_make" "$host_compositor" "$scratch/wrong" "$scratch/wrong.err"
if ! check "image built with --arch arm64" drv_build "$img" --arch arm64; then
        for i in 3 4 5 6 7 8 9 10 11; do not_ok "skipped: no image"; done
        finish
fi
diag "build: $drv_build_seconds s"
check "profile: arch aarch64, console ttyAMA0" \
        sh -c 'grep -q "^arch = \"aarch64\"" "$1" && grep -q "console=ttyAMA0" "$1"' - "$img/driveros.toml"
check "MANIFEST says arch arm64 and an arm64 kernel" \
        sh -c 'grep -qx "# arch: arm64" "$1" && grep -q "^# kernel: .*-arm64$" "$1"' - "$img/MANIFEST"
cpio -i --quiet --to-stdout etc/thatte-init/modules <"$img/initrd.img" >"$scratch/modules" 2>/dev/null
check "arm64 modules with gpio_keys, no ACPI button" \
        sh -c 'grep -q "arm64/.*/gpio_keys.ko" "$1" && ! grep -q "/button.ko" "$1"' - "$scratch/modules"
check "thatte-vmm start" drv_vmm_start "$img" || diag_file "$qemu_log"
drv_vmm_check_boot arm64
finish
