#!/bin/bash
# make-initramfs.sh: thatte-driveros-make in its default mode, rootless, from
# Debian's real kernel package: the image folder is complete, its MANIFEST
# checks, initrd.img is a newc archive under 12 MiB holding thatte-init, the
# compositor and the modules, and a second build is byte-identical. A third
# build with --modules=virtio_pci --add SRC=DEST holds only that module (and
# its dependencies) plus the added file, executable, and MANIFEST names it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_tool sha256sum
plan 13

a=$scratch/a b=$scratch/b
if ! check "first build" drv_build "$a"; then
        for i in 2 3 4 5 6 7 8 9 10 11 12 13; do not_ok "skipped: no image"; done
        finish
fi
diag "first build: $drv_build_seconds s (cache $drv_cache)"
check "image files present" test -s "$a/vmlinuz" -a -s "$a/initrd.img" -a -s "$a/driveros.toml" -a -s "$a/MANIFEST"
check "no temporary folder left" test -z "$(find "$scratch" -maxdepth 1 -name '.*.tmp-*')"
check "MANIFEST checks with sha256sum -c" sh -c 'cd "$1" && sha256sum --quiet -c MANIFEST' - "$a"
size=$(stat -c %s "$a/initrd.img")
diag "initrd.img: $size bytes"
check "initrd.img under 12 MiB" test "$size" -lt $((12 * 1024 * 1024))
cpio -it --quiet <"$a/initrd.img" >"$scratch/list" 2>"$scratch/cpio.err"
check "cpio -t reads it" test $? = 0
check "it holds init, the compositor, the module list, virtio-gpu and button" \
        sh -c 'grep -qx init "$1" && grep -qx usr/bin/thatte-compositor "$1" &&
               grep -qx etc/thatte-init/modules "$1" && grep -q "/virtio-gpu.ko$" "$1" &&
               grep -q "/button.ko$" "$1"' - "$scratch/list"
check "second build (warm cache)" drv_build "$b"
diag "second build: $drv_build_seconds s"
check "byte-identical to the first" diff -r "$a" "$b"

c=$scratch/c
printf 'extra\n' >"$scratch/extra.txt"
if check "build with --modules=virtio_pci and two --add" \
        drv_build "$c" --modules=virtio_pci --add "$drv_init=/usr/libexec/t/tool" \
        --add "$scratch/extra.txt=etc/extra.txt"; then
        cpio -itv --quiet <"$c/initrd.img" >"$scratch/list-c" 2>/dev/null
        sed -n 's|^/lib/modules/[^/]*/||p' <(cpio -i --quiet --to-stdout etc/thatte-init/modules <"$c/initrd.img") \
                >"$scratch/modules-c"
        diag "modules: $(tr '\n' ' ' <"$scratch/modules-c")"
        check "only virtio_pci and its dependencies are listed" \
                sh -c 'grep -q "/virtio_pci.ko" "$1" && ! grep -qE "virtio-gpu|button|virtio_blk" "$1"' - "$scratch/modules-c"
        check "the added files are there, the program executable" \
                sh -c 'grep -qE "^-rwxr-xr-x .* usr/libexec/t/tool$" "$1" &&
                       grep -qE "^-rw-r--r-- .* etc/extra.txt$" "$1"' - "$scratch/list-c"
        check "MANIFEST names the module list and the added files" \
                sh -c 'grep -q "virtio_pci" "$1" && grep -q "usr/libexec/t/tool,etc/extra.txt" "$1"' - "$c/MANIFEST"
else
        for i in 11 12 13; do not_ok "skipped: no image"; done
fi
finish
