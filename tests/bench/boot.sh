#!/bin/bash
# tests/bench/boot.sh: boot-chain figures (make bench-boot), each against a
# reference measured in the same run; nothing is asserted:
#   - UEFI: QEMU start -> "thatte-root: painted" (OVMF, the packed
#     thatte-mk.efi on an ESP) against QEMU start -> "thatte-efi: painted"
#     (thatte-hello.efi, the same firmware and machine); goal <= 1.10x;
#   - direct: QEMU start -> "thatte-root: ready" through the PVH entry
#     (-kernel/-initrd, no OVMF) against the UEFI path to the same line;
#     goal <= 0.1x;
#   - boot media (thatte-mkimage, where GRUB for BIOS is installed): QEMU
#     start -> "thatte-root: painted" from the hybrid disk image under
#     SeaBIOS (GRUB, multiboot2) against the same image under OVMF (q35
#     both; BIOS should be faster), and the sizes of the disk and CD images
#     against the packed thatte-mk.efi they carry;
#   - instructions, under -icount shift=0 (the TSC counts guest
#     instructions): kernel entry -> the root task's first instruction, and
#     the IPC round trip across address spaces (call + reply-recv, entry
#     and exit included; goal <= 400), as the root task reports them.
# Run from a build tree: top_builddir=$PWD bash tests/bench/boot.sh
# THATTE_BENCH_RUNS boots per figure (default 3; the median is reported).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/../integration/lib.sh"

runs=${THATTE_BENCH_RUNS:-3}
b=${top_builddir:?set top_builddir to the build tree}
export PATH=$PATH:/usr/sbin:/sbin
mkesp=$b/efi/thatte-mkesp
for f in "$mkesp" "$b/efi/thatte-hello.efi" "$b/efi/thatte-mk.efi" \
        "$b/kernel/thatte-mk.elf" "$b/kernel/root/thatte-root.elf"; do
        [ -e "$f" ] || bail_out "$f: not built (run make first)"
done
require_tool "$QEMU" mmd mcopy
require_ovmf

"$mkesp" -o "$scratch/hello.img" "$b/efi/thatte-hello.efi" >/dev/null &&
        "$mkesp" -o "$scratch/mk.img" "$b/efi/thatte-mk.efi" >/dev/null ||
        bail_out "thatte-mkesp failed"

# uefi_to LINE... -- IMAGE: time_to through q35 + OVMF (fresh variables) +
# std-vga, the machine efi-hello.sh uses.
uefi_to() {
        local lines=()
        while [ "$1" != -- ]; do lines+=("$1"); shift; done
        ovmf_drive_args || return 1
        time_to "${lines[@]}" -- -machine q35 -m 256 -vga std "${ovmf_args[@]}" \
                -drive "if=virtio,format=raw,file=$(qemu_opt_escape "$2")"
}
direct_args=(-machine q35 -m 256 -vga std -kernel "$b/kernel/thatte-mk.elf"
        -initrd "$b/kernel/root/thatte-root.elf")

hello= mk_painted= mk_ready= direct=
for ((i = 0; i < runs; i++)); do
        hello+="$(uefi_to 'thatte-efi: painted' -- "$scratch/hello.img")"
        read -r t1 t2 < <(uefi_to '^thatte-root: painted' '^thatte-root: ready' -- "$scratch/mk.img")
        mk_painted+="$t1 " mk_ready+="$t2 "
        direct+="$(time_to '^thatte-root: ready' -- "${direct_args[@]}")"
done
h=$(printf '%s\n' $hello | median)
p=$(printf '%s\n' $mk_painted | median)
r=$(printf '%s\n' $mk_ready | median)
d=$(printf '%s\n' $direct | median)
accel=${THATTE_TEST_ACCEL:-tcg}
echo "boot-uefi: QEMU start to thatte-root: painted $p s, to thatte-efi: painted $h s: $(ratio "$p" "$h")x (goal <= 1.10; $accel, median of $runs: $mk_painted/ $hello)"
echo "boot-direct: QEMU start to thatte-root: ready $d s direct, $r s through UEFI: $(ratio "$d" "$r")x (goal <= 0.1; $accel, median of $runs: $direct/ $mk_ready)"

# Boot media: the same disk image by SeaBIOS and by OVMF.
mkimage=$b/efi/thatte-mkimage
media_inputs=(--kernel "$b/kernel/thatte-mk.elf" --root "$b/kernel/root/thatte-root.elf"
        --loader "$b/efi/thatte-boot.efi")
if [ -x "$mkimage" ] && [ -f /usr/lib/grub/i386-pc/boot.img ] && command -v xorriso >/dev/null &&
        "$mkimage" -o "$scratch/media.img" "${media_inputs[@]}" &&
        "$mkimage" --iso -o "$scratch/media.iso" "${media_inputs[@]}"; then
        bios= uefi=
        for ((i = 0; i < runs; i++)); do
                bios+="$(time_to 'thatte-root: painted' -- -machine q35 -m 256 -vga std \
                        -drive "format=raw,file=$(qemu_opt_escape "$scratch/media.img")")"
                ovmf_drive_args || bail_out "cannot copy $OVMF_VARS"
                uefi+="$(time_to 'thatte-root: painted' -- -machine q35 -m 256 -vga std "${ovmf_args[@]}" \
                        -drive "format=raw,file=$(qemu_opt_escape "$scratch/media.img")")"
        done
        s=$(printf '%s\n' $bios | median)
        u=$(printf '%s\n' $uefi | median)
        echo "boot-media: QEMU start to thatte-root: painted from the disk image $s s by SeaBIOS, $u s by OVMF: $(ratio "$s" "$u")x (q35, $accel, median of $runs: $bios/ $uefi)"
        efi=$(stat -c %s "$b/efi/thatte-mk.efi")
        img=$(stat -c %s "$scratch/media.img") iso=$(stat -c %s "$scratch/media.iso")
        echo "media-size: disk image $img bytes, CD image $iso bytes: $(ratio "$img" "$efi")x and $(ratio "$iso" "$efi")x the packed thatte-mk.efi ($efi bytes)"
else
        echo "boot-media: skipped (thatte-mkimage, GRUB for BIOS or xorriso missing, or the build failed)"
fi

# Instruction counts: one direct boot under -icount shift=0.
if THATTE_TEST_ACCEL=tcg time_to '^thatte-root: ready' -- "${direct_args[@]}" -icount shift=0 >/dev/null; then
        entry=$(first_match "$serial_log" 'kernel entry to root task [0-9]+ instructions')
        ipc=$(first_match "$serial_log" 'ipc round trip [0-9]+ instructions')
        entry=${entry//[!0-9]/} ipc=${ipc//[!0-9]/}
        echo "boot-kernel-entry: kernel entry to the root task's first instruction ${entry:-?} instructions (-icount shift=0)"
        [ -n "$ipc" ] &&
                echo "boot-ipc: round trip across address spaces $ipc instructions: $(ratio "$ipc" 400)x the goal of 400 (-icount shift=0)"
else
        echo "boot-icount: the direct boot under -icount shift=0 did not reach ready"
        exit 1
fi
