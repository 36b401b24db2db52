#!/bin/bash
# boot-uki.sh: `thatte-driveros-make --uki` makes driveros.efi (kernel,
# initrd and command line on systemd-boot's stub) and esp.img; thatte-vmm
# boots the profile (OVMF, the ESP) to the gradient and `thatte-vmm stop`
# powers it off through thatte-init. With drv_uki_kernel=thatte
# (boot-uki-thatte.sh) the UKI holds the THATTE kernel's bzImage.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

mkesp_dir=${THATTE_MKESP_DIR:-${top_builddir:+$top_builddir/efi}}
[ -n "$mkesp_dir" ] && PATH=$mkesp_dir:$PATH
require_driveros
[ -z "${drv_uki_kernel:-}" ] || require_kernel_build
require_tool "$QEMU" objcopy thatte-mkesp mmd mcopy
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
require_helpers
require_vmm
plan 8

img=$scratch/img
if ! check "UKI image built" drv_build "$img" --uki ${drv_uki_kernel:+--kernel=$drv_uki_kernel}; then
        for i in 2 3 4 5 6 7 8; do not_ok "skipped: no image"; done
        finish
fi
check "driveros.efi and esp.img present" test -s "$img/driveros.efi" -a -s "$img/esp.img"
if ! check "thatte-vmm start" drv_vmm_start "$img"; then
        diag_file "$qemu_log"
fi
drv_vmm_check_boot uki
finish
