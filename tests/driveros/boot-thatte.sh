#!/bin/bash
# boot-thatte.sh: `thatte-driveros-make --kernel=thatte` builds Linux from
# linux-source-6.1 with data/driveros/kernel.config (once per cache: every
# kernel test shares it) and the image boots to the gradient on virtio-gpu,
# on std VGA through DRM bochs, and on std VGA through fbdev (the
# compositor told to use it); thatte-init loads no modules and powers off.
# The MANIFEST records the kernel's source version and configuration hash.
# A kernel the user built (--kernel=PATH; here the cached bzImage) goes
# into the image as it is and boots too; with --uki a vmlinux (no EFI stub)
# is refused before anything is written.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_kernel_build
require_tool "$QEMU" sha256sum strip
require_helpers
require_vmm
plan 42

# The first run of a cache builds the kernel: minutes on 2 cores.
img=$scratch/img
if ! check "image with --kernel=thatte built" drv_build "$img" -v --kernel=thatte; then
        for ((i = 2; i <= 42; i++)); do not_ok "skipped: no image"; done
        finish
fi
diag "built in $drv_build_seconds s; $(grep -a 'kernel:' "$scratch/make.log" | tr '\n' ';')"

manifest() { sed -n "s/^# $1: //p" "$img/MANIFEST"; }
source_version=$(apt-cache show --no-all-versions linux-source-6.1 | sed -n 's/^Version: //p')
check "MANIFEST: kernel source and version" test "$(manifest kernel-package)" = "linux-source-6.1 $source_version"
key=$(manifest kernel-build)
config=$drv_cache/kernel/$key/config
check "MANIFEST: configuration hash is the cached .config's" \
        test -n "$key" -a "$(manifest kernel-config)" = "$(sha256sum <"$config" | cut -d' ' -f1)"
check "the cached .config has the fragment's PVH entry and no modules" \
        grep -qx 'CONFIG_PVH=y' "$config" && ! grep -q '^CONFIG_MODULES=y' "$config"
check "sha256sum -c MANIFEST" sh -c "cd '$img' && sha256sum --quiet -c MANIFEST"
check "vmlinuz is the uncompressed ELF" test "$(head -c 4 "$img/vmlinuz" | od -An -c | tr -d ' ')" = '177ELF'
# The goal is for what the packages ship: programs stripped by dh_strip. The
# initrd is a plain cpio, so the build tree's debug info comes off byte for byte.
stripped_size() { strip -o "$scratch/stripped" "$1" && stat -c %s "$scratch/stripped"; }
initrd_size=$(($(stat -c %s "$img/initrd.img") - $(stat -c %s "$drv_init") - $(stat -c %s "$drv_compositor") +
        $(stripped_size "$drv_init") + $(stripped_size "$drv_compositor")))
diag "initrd.img with stripped programs: $initrd_size bytes"
check "initrd.img under 2 MiB (its programs stripped, as packaged)" test "$initrd_size" -le $((2 * 1048576))
cpio -it --quiet <"$img/initrd.img" >"$scratch/initrd.list" 2>/dev/null
check "initrd.img holds no modules" test "$(grep -c '\.ko' "$scratch/initrd.list")" = 0

# boot_variant NAME SED-EXPRESSION [IMAGE]: a copy of IMAGE (default the
# one above) whose driveros.toml SED-EXPRESSION changed, booted through
# thatte-vmm (7 test points).
boot_variant() {
        local name=$1 dir=$scratch/$1 i
        rm -rf "$dir" && cp -r "${3:-$img}" "$dir" && sed -i "$2" "$dir/driveros.toml"
        # The previous VM's runtime folder (and serial log) must be gone.
        for ((i = 0; i < 300; i++)); do
                [ -e "$XDG_RUNTIME_DIR/thatte-vmm/driveros" ] || break
                sleep 0.1
        done
        : >"$serial_log"
        if ! check "$name: thatte-vmm start" drv_vmm_start "$dir"; then
                diag_file "$qemu_log"
        fi
        drv_vmm_check_boot "$name"
        check "$name: no module loading" not_grep 'thatte-init: (loading|no module list)' "$serial_log"
        [ -z "$drv_tail_pid" ] || kill "$drv_tail_pid" 2>/dev/null
        drv_tail_pid=
}
not_grep() { ! grep -aqE "$1" "$2"; }

boot_variant virtio-gpu 's/^gpu = .*/gpu = "virtio"/'
check "virtio-gpu: painted through DRM" grep -aqE 'thatte-compositor: drm ' "$serial_log"
boot_variant std-bochs 's/^gpu = .*/gpu = "std"/'
check "std-bochs: painted through DRM (bochs)" grep -aqE 'thatte-compositor: drm ' "$serial_log"
boot_variant std-fbdev 's/^gpu = .*/gpu = "std"/; s/^\(cmdline = ".*\)"/\1 thatte.compositor=--backend=fbdev"/'
check "std-fbdev: painted through fbdev" grep -aqE 'thatte-compositor: fbdev ' "$serial_log"

user_kernel=$drv_cache/kernel/$key/bzImage
if check "--kernel=PATH (the cached bzImage) builds" drv_build "$scratch/user" --kernel="$user_kernel"; then
        check "--kernel=PATH: vmlinuz is that file, the MANIFEST says given" \
                eval 'cmp -s "$user_kernel" "$scratch/user/vmlinuz" &&
                      grep -q "^# kernel-image: given" "$scratch/user/MANIFEST"'
else
        not_ok "--kernel=PATH: vmlinuz is that file"
fi
boot_variant user-kernel 's/^gpu = .*/gpu = "virtio"/' "$scratch/user"
check "--kernel=PATH --uki refuses a vmlinux (no EFI stub), writes nothing" \
        eval '! drv_build "$scratch/user-uki" --uki --kernel="$drv_cache/kernel/$key/vmlinux" &&
              grep -q "not a bzImage with the EFI stub" "$scratch/make.log" && test ! -e "$scratch/user-uki"'
finish
