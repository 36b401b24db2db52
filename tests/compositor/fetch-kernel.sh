#!/bin/sh
# tests/compositor/fetch-kernel.sh: Debian's own kernel for the integration
# tests, downloaded once with apt and kept unpacked in a cache.
#
# Prints the unpacked tree (boot/vmlinuz-*, lib/modules/*) on stdout.
# Cache: $THATTE_KERNEL_CACHE, else $XDG_CACHE_HOME/thatte/kernel, else
# ~/.cache/thatte/kernel. linux-image-amd64 is a metapackage, so the real
# linux-image-VERSION-amd64 is taken from its dependency. No root needed.
# Exit 77 when apt cannot provide a kernel and none is cached.
set -eu

cache=${THATTE_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/thatte/kernel}
mkdir -p "$cache"

cached_tree() { # the newest tree already unpacked, if any
        for t in $(ls -d "$cache"/linux-image-*/ 2>/dev/null | sort -r); do
                ls "$t"boot/vmlinuz-* >/dev/null 2>&1 && { echo "${t%/}"; return 0; }
        done
        return 1
}

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1) || pkg=
if [ -z "$pkg" ]; then
        cached_tree || { echo "$0: apt knows no linux-image-amd64" >&2; exit 77; }
        exit 0
fi
tree=$cache/$pkg
if [ ! -d "$tree" ]; then
        # One download at a time, even when tests run in parallel.
        exec 9>"$cache/lock"
        flock 9
        if [ ! -d "$tree" ]; then
                work=$(mktemp -d "$cache/.download.XXXXXX")
                if (cd "$work" && apt-get download -q "$pkg" >/dev/null 2>&1) &&
                   dpkg-deb -x "$work"/"$pkg"_*.deb "$work/tree"; then
                        mv "$work/tree" "$tree"
                        rm -rf "$work"
                else
                        rm -rf "$work"
                        echo "$0: downloading $pkg failed" >&2
                        cached_tree || exit 77
                        exit 0
                fi
        fi
fi
echo "$tree"
