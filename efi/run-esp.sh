#!/bin/sh
# efi/run-esp.sh: boot an ESP image under QEMU + OVMF.
#
# Usage: run-esp.sh ESP.img [QEMU-ARGUMENT]...
# A window when $DISPLAY or $WAYLAND_DISPLAY is set, otherwise headless
# (-display none). The serial port is on stdout either way (Ctrl-A X quits).
# KVM when /dev/kvm opens read-write, TCG otherwise. OVMF's code is mapped
# read-only; its variables live in a private copy next to the image
# (ESP.img.vars.fd), made on first use. Environment overrides: QEMU,
# OVMF_CODE, OVMF_VARS, THATTE_ACCEL (auto, kvm or tcg; some nested hosts
# open /dev/kvm but cannot run guests, so tcg can be forced).
set -eu

prog=run-esp.sh
if test $# -lt 1; then
        echo "usage: $prog ESP.img [QEMU-ARGUMENT]..." >&2
        exit 2
fi
esp=$1
shift
if ! test -f "$esp"; then
        echo "$prog: $esp: no such image (run 'make esp' first)" >&2
        exit 1
fi

ovmf_dir=/usr/share/OVMF
if test -z "${OVMF_CODE:-}"; then
        if test -f "$ovmf_dir/OVMF_CODE_4M.fd"; then
                OVMF_CODE=$ovmf_dir/OVMF_CODE_4M.fd
                OVMF_VARS=${OVMF_VARS:-$ovmf_dir/OVMF_VARS_4M.fd}
        else
                OVMF_CODE=$ovmf_dir/OVMF_CODE.fd
                OVMF_VARS=${OVMF_VARS:-$ovmf_dir/OVMF_VARS.fd}
        fi
fi
OVMF_VARS=${OVMF_VARS:-$ovmf_dir/OVMF_VARS_4M.fd}
for f in "$OVMF_CODE" "$OVMF_VARS"; do
        if ! test -f "$f"; then
                echo "$prog: $f: not found (install the Debian package ovmf)" >&2
                exit 1
        fi
done

vars=$esp.vars.fd
if ! test -f "$vars"; then
        cp "$OVMF_VARS" "$vars.tmp"
        mv -f "$vars.tmp" "$vars"
fi

accel=${THATTE_ACCEL:-auto}
case $accel in
auto)
        accel=tcg
        if (: <>/dev/kvm) 2>/dev/null; then
                accel=kvm
        fi
        ;;
kvm | tcg) ;;
*)
        echo "$prog: THATTE_ACCEL must be auto, kvm or tcg, not '$accel'" >&2
        exit 2
        ;;
esac

display=none
if test -n "${DISPLAY:-}" || test -n "${WAYLAND_DISPLAY:-}"; then
        display=default
fi

qemu=${QEMU:-qemu-system-x86_64}
if ! command -v "$qemu" >/dev/null 2>&1; then
        echo "$prog: $qemu: not found (install the Debian package qemu-system-x86)" >&2
        exit 1
fi

exec "$qemu" \
        -machine q35 -accel "$accel" -m 256 \
        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE" \
        -drive "if=pflash,format=raw,unit=1,file=$vars" \
        -drive "if=virtio,format=raw,file=$esp" \
        -nic none -display "$display" -serial mon:stdio \
        "$@"
