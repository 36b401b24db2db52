#!/bin/bash
# tests/bench/mk-doorbell.sh: client commit to pixels for the root task's
# window under thatte-mk, the channel's MSI-X doorbell against the
# compositor's 10 ms polling round, same image, same run (nothing is
# asserted; the goal of issue 18 is a median of at most 2 ms).
# Two direct boots (`-cpu max`, `-icount shift=0`) of the THATTE-kernel
# DriverOS image (`--kernel=thatte`, cached as tests/driveros/ share it)
# with `thatte.test=chan-frames` on thatte-mk's command line: the root
# task publishes 100 damage-only 64x64 frames, one at a time, each once
# the previous one is shown and at least 2^25 TSC ticks after it (at the
# VMM's beat, at no fixed phase of the compositor's round), and rings the
# VMM, which sends MSI-X vector 0. The compositor runs with --log-frames,
# and in the reference boot also --no-doorbell.
# Clocks: the root task and the guest read the same TSC (thatte-mk gives
# the guest no TSC offset; the root logs RDTSC at each publish, the
# compositor RDTSC after its fbdev copy: "frame thatte-mk SEQ on screen at
# NS tsc T"). Under `-icount shift=0` the TSC counts guest instructions
# (1 GHz: thatte-kvmm logs "tsc 1000000 kHz from the kernel"), so the figure is in virtual
# time: independent of the host's load, and what the guest's own timers
# (the 10 ms round) run on. Ticks become ms with the rate thatte-mk logs.
# THATTE_BENCH_ICOUNT=0: no -icount, the TSC follows the host's clock
# (wall time under TCG, as compositor-latency.sh measures; noisy on a
# loaded machine).
# Run from a build tree: top_builddir=$PWD bash tests/bench/mk-doorbell.sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../boot/chain-inputs.sh"
. "$here/../driveros/lib-driveros.sh"

require_driveros
require_kernel_build
require_tool "$QEMU"
[ -f "$kernel" ] && [ -f "$root" ] && [ -x "$mkboot" ] || bail_out "thatte-mk, the root task or thatte-mkboot not built"
export THATTE_DRIVEROS_CACHE=$drv_cache
icount=(-icount shift=0)
clock="TCG -icount shift=0"
[ "${THATTE_BENCH_ICOUNT:-1}" != 0 ] || { icount=(); clock="TCG, wall time"; }

drv_build "$scratch/img" --kernel=thatte || bail_out "thatte-driveros-make could not build the image"
# vmlinuz is the PVH vmlinux; thatte-kvmm takes the same build's bzImage.
bzimage=$drv_cache/kernel/$(sed -n 's/^# kernel-build: //p' "$scratch/img/MANIFEST")/bzImage
[ -f "$bzimage" ] || bail_out "no bzImage of the THATTE kernel at $bzimage"

# measure NAME COMPOSITOR-ARGS: one boot; prints NAME's line, leaves the
# sorted latencies in ms in $scratch/NAME.
measure() {
        local name=$1 khz
        "$mkboot" --direct -o "$scratch/$name.cpio" --root "$root" --guest-kernel "$bzimage" \
                --guest-initrd "$scratch/img/initrd.img" \
                --guest-cmdline "console=ttyS0 panic=-1 thatte.compositor=\"$2\"" >/dev/null ||
                bail_out "thatte-mkboot --direct made no bundle"
        qemu_start -machine pc -cpu max -m 1G -vga std "${icount[@]}" -kernel "$kernel" \
                -initrd "$scratch/$name.cpio" -append thatte.test=chan-frames
        wait_for_line "$serial_log" '^thatte-root: channel: frames done|^thatte-mk: panic|FAIL' 1800 ||
                { cat "$serial_log" >&2; bail_out "$name: the frames were not all shown"; }
        grep -aq '^thatte-root: channel: frames done' "$serial_log" ||
                { cat "$serial_log" >&2; bail_out "$name: a failure"; }
        khz=$(sed -n 's/^thatte-kvmm: tsc \([0-9]*\) kHz from the kernel.*/\1/p' "$serial_log" | head -n 1)
        [ -n "$khz" ] || bail_out "$name: no TSC rate on serial"
        grep -a "thatte-compositor: channel .*resource2" "$serial_log" | sed "s/^/$name: /"
        tr -d '\r' <"$serial_log" | awk -v khz="$khz" '
                /^thatte-root: channel: frame [0-9]+ published at tsc [0-9]+$/ { pub[$4] = $8 }
                /^driveros: thatte-compositor: frame thatte-mk [0-9]+ on screen at [0-9]+ tsc [0-9]+$/ { shown[$5] = $11 }
                END { for (s in pub) if (s in shown) printf "%.3f\n", (shown[s] - pub[s]) / khz }' |
                sort -n >"$scratch/$name"
        qemu_stop
        [ -s "$scratch/$name" ] || bail_out "$name: no frame pairs"
        awk -v name="$name" '{ d[NR] = $1 } END {
                m = NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2
                printf "%s: median %.2f ms (min %.2f, p90 %.2f, max %.2f, %d frames)\n", name, m, d[1],
                        d[int(NR * 0.9)], d[NR], NR
        }' "$scratch/$name"
}

median() { awk '{ d[NR] = $1 } END { print NR % 2 ? d[(NR + 1) / 2] : (d[NR / 2] + d[NR / 2 + 1]) / 2 }' "$1"; }

measure doorbell --log-frames
measure polling "--log-frames --no-doorbell"
awk -v d="$(median "$scratch/doorbell")" -v p="$(median "$scratch/polling")" -v clock="$clock" 'BEGIN {
        printf "mk-doorbell: client commit to pixels (fbdev copy done), root task under thatte-mk, 64x64 damage, %s: doorbell %.3f ms / polling %.3f ms median = %.3f\n", clock, d, p, d / p
}'
