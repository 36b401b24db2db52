#!/bin/sh
# tests/compositor/mkinitramfs.sh: the integration tests' minimal initramfs.
#
# usage: mkinitramfs.sh OUTPUT KERNEL_TREE INIT COMPOSITOR ARGS_FILE [MODULE...]
#
# KERNEL_TREE is an unpacked linux-image package (boot/, lib/modules/VER/).
# Each MODULE (a name such as virtio-gpu) is copied with every module it
# depends on, read from the "depends=" field of its .modinfo section (the
# package ships no modules.dep; depmod runs only when it is installed), and
# listed in /modules dependencies first. The archive is newc cpio, written
# to OUTPUT.tmp and renamed into place.
set -eu

[ $# -ge 5 ] || { echo "usage: $0 OUTPUT KERNEL_TREE INIT COMPOSITOR ARGS_FILE [MODULE...]" >&2; exit 2; }
output=$1 tree=$2 init=$3 compositor=$4 args=$5
shift 5

moddir=$(echo "$tree"/lib/modules/*)
[ -d "$moddir" ] || { echo "$0: no lib/modules in $tree" >&2; exit 1; }
stage=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib/modules" "$stage/dev" "$stage/proc" "$stage/sys"
: >"$stage/modules"

module_path() { # name -> path of its .ko ("-" and "_" are the same)
        pattern=$(echo "$1" | sed 's/[-_]/[-_]/g')
        find "$moddir/kernel" -name "$pattern.ko" | head -n 1
}

add_module() { # name: its dependencies first, then itself, once each
        local path base deps dep  # dash and bash both have local
        path=$(module_path "$1")
        [ -n "$path" ] || { echo "$0: module $1 not found in $moddir" >&2; exit 1; }
        base=$(basename "$path")
        grep -qx "/lib/modules/$base" "$stage/modules" && return 0
        deps=$(tr '\0' '\n' <"$path" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' ')
        for dep in $deps; do
                add_module "$dep"
        done
        cp "$path" "$stage/lib/modules/$base"
        echo "/lib/modules/$base" >>"$stage/modules"
}

for m in "$@"; do
        add_module "$m"
done
cp "$init" "$stage/init"
cp "$compositor" "$stage/thatte-compositor"
cp "$args" "$stage/compositor.args"
chmod 0755 "$stage/init" "$stage/thatte-compositor"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$output.tmp"
mv "$output.tmp" "$output"
