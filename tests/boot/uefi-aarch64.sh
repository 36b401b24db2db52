#!/bin/bash
# tests/boot/uefi-aarch64.sh: the aarch64 UEFI path under qemu-system-aarch64
# and AAVMF (TCG): thatte-mk-aa64.efi (thatte-boot-aa64.efi packed with
# thatte-mk-aarch64.img by thatte-mkboot) on an ESP made by thatte-mkesp as
# /EFI/BOOT/BOOTAA64.EFI. With `acpi=off` (AAVMF then hands over the device
# tree) it must place the Image at RAM base + text_offset, exit boot
# services and enter the kernel, which runs its EL0 checks to
# "thatte-root: ready" and powers QEMU off through PSCI: at EL1 (GICv2)
# and with the firmware at EL2 (virtualization=on, GICv3), with a ramfb
# painted too, and with 6 GiB of RAM. The loader hands over the UEFI
# memory map in /chosen (linux,uefi-mmap-*) and the kernel says it took
# its memory from it, all of RAM in its direct map. A command line packed with thatte-mkboot -c reaches the
# kernel through the tree's /chosen/bootargs: thatte.test=panic ends in
# "thatte-mk: panic:", no ready. With ACPI (no device tree) the loader must
# say so, not jump, and return to the firmware.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
efi=${THATTE_MK_AA64_EFI:-$top_builddir/efi/thatte-mk-aa64.efi}
mkesp=${THATTE_MKESP:-$top_builddir/efi/thatte-mkesp}
code=${THATTE_AAVMF_CODE:-/usr/share/AAVMF/AAVMF_CODE.fd}
vars=${THATTE_AAVMF_VARS:-/usr/share/AAVMF/AAVMF_VARS.fd}
[ -f "$efi" ] || skip_all "no $efi (clang, lld and gcc-aarch64-linux-gnu build it)"
require_tool qemu-system-aarch64 timeout mkfs.fat mcopy
[ -f "$code" ] && [ -f "$vars" ] || skip_all "AAVMF firmware not found (Debian package qemu-efi-aarch64)"
timeout=${THATTE_AARCH64_TIMEOUT:-300}

"$mkesp" -o "$scratch/esp.img" "$efi" || bail_out "thatte-mkesp failed"

# boot NAME MACHINE CPU [ARG...]: one boot from the ESP, its serial output
# in $scratch/NAME.log; succeeds when QEMU exits by itself in time.
boot() {
        local name=$1 machine=$2 cpu=$3
        shift 3
        cp "$vars" "$scratch/$name.vars" || return 1
        timeout "$timeout" qemu-system-aarch64 -machine "$machine" -cpu "$cpu" -m "$mem" \
                -accel tcg -nodefaults -nographic -display none -serial "file:$scratch/$name.log" \
                -drive "if=pflash,format=raw,readonly=on,file=$code" \
                -drive "if=pflash,format=raw,file=$scratch/$name.vars" \
                -drive "if=none,id=esp,format=raw,readonly=on,file=$scratch/esp.img" \
                -device virtio-blk-pci,drive=esp "$@" >"$scratch/$name.qemu" 2>&1
}

has() { grep -aqE "$2" "$scratch/$1.log"; }
mem=512

# ready NAME MACHINE CPU EL [ARG...]: 5 test points.
ready() {
        local name=$1 machine=$2 cpu=$3 el=$4
        shift 4
        if ! check "$name: QEMU powered off by the kernel within $timeout s" \
                boot "$name" "$machine" "$cpu" "$@"; then
                diag_file "$scratch/$name.log"
                diag_file "$scratch/$name.qemu"
        fi
        check "$name: the loader placed the Image at RAM base + text_offset" \
                has "$name" '^thatte-boot: kernel 0x40080000-0x[0-9a-f]+ \(arm64 Image, text_offset 0x80000\)'
        check "$name: the kernel got the firmware's device tree in x0, entered at EL$el" \
                sh -c 'dt=$(sed -n "s/.*device tree [0-9a-fx]* bytes at 0x\([0-9a-f]*\).*/\1/p" "$1" | tr -d "\r")
                       test -n "$dt" && grep -aq "entered at EL$2, .*device tree at $dt" "$1"' \
                - "$scratch/$name.log" "$el"
        # The loader's linux,uefi-mmap-* properties: the kernel takes its
        # free RAM from the map, some of the $mem MiB but not all of it
        # (the firmware's runtime and reserved ranges stay out), all of
        # them in its direct map.
        check "$name: the kernel took its memory from the UEFI map, $mem MiB in its direct map" \
                sh -c 'mib=$(sed -n "s/^thatte-mk: .*memory from UEFI map: [1-9][0-9]* regions, \([0-9]*\) MiB usable.*/\1/p" "$1")
                       test -n "$mib" && test "$mib" -ge $(($2 / 2)) && test "$mib" -lt "$2" &&
                       grep -aq "memory: direct map of RAM 40000000\.\.[0-9a-f]* ($2 MiB), free RAM reached up to [0-9a-f]*" "$1"' \
                - "$scratch/$name.log" "$mem"
        check "$name: thatte-root: ready, powered off through PSCI" \
                sh -c 'grep -aq "^thatte-root: ready" "$1" && grep -aq "powering off (PSCI)" "$1"' \
                - "$scratch/$name.log" || diag_file "$scratch/$name.log"
}

plan 27
ready el1-gicv2 virt,acpi=off cortex-a53 1
ready el2-gicv3 virt,acpi=off,virtualization=on,gic-version=3 cortex-a72 2
ready ramfb virt,acpi=off cortex-a72 1 -device ramfb
# RAM above 4 GiB (it starts at 1 GiB): the firmware's map and tree may
# lie there, the kernel's direct map must reach them.
mem=6144 ready mem6g virt,acpi=off cortex-a72 1
check "ramfb: the root task painted" has ramfb '^thatte-root: painted 1024x768'

# The command line, from .cmdline into /chosen/bootargs.
"${THATTE_MKBOOT:-$top_builddir/efi/thatte-mkboot}" -o "$scratch/panic.efi" --arch aarch64 \
        --loader "${THATTE_BOOT_AA64:-$top_builddir/efi/thatte-boot-aa64.efi}" \
        --kernel "${THATTE_MK_AARCH64:-$top_builddir/kernel/thatte-mk-aarch64.img}" \
        --cmdline "console thatte.test=panic" &&
        mv "$scratch/esp.img" "$scratch/esp-ready.img" &&
        "$mkesp" -o "$scratch/esp.img" "$scratch/panic.efi" || bail_out "cannot pack the panic image"
check "panic: QEMU powered off by the kernel" boot panic virt,acpi=off cortex-a72 ||
        diag_file "$scratch/panic.log"
check "panic: the kernel read the packed command line from the device tree" \
        has panic '^thatte-mk: .*command line: console thatte.test=panic'
check "panic: thatte-mk: panic:, no ready" \
        sh -c 'grep -aq "^thatte-mk: panic: kernel exception" "$1" && ! grep -aq "thatte-root: ready" "$1"' \
        - "$scratch/panic.log"
mv "$scratch/esp-ready.img" "$scratch/esp.img" || bail_out "cannot restore the ESP image"

# With ACPI the firmware offers no device tree: refused before
# ExitBootServices; the firmware then goes on to its next boot option.
QEMU=qemu-system-aarch64
cp "$vars" "$scratch/acpi.vars" || bail_out "cannot copy $vars"
qemu_start -machine virt -cpu cortex-a53 -m 512 \
        -drive "if=pflash,format=raw,readonly=on,file=$code" \
        -drive "if=pflash,format=raw,file=$scratch/acpi.vars" \
        -drive "if=none,id=esp,format=raw,readonly=on,file=$scratch/esp.img" \
        -device virtio-blk-pci,drive=esp
check "acpi: the loader says there is no device tree" \
        wait_for_line "$serial_log" "^thatte-boot: no device tree from the firmware" "$timeout"
check "acpi: and returns to the firmware, no kernel entered" \
        wait_for_line "$serial_log" "^thatte-boot: cannot boot" "$timeout"
check "acpi: the kernel never ran" sh -c '! grep -aq "^thatte-mk:" "$1"' - "$serial_log" ||
        diag_file "$serial_log"
qemu_stop
finish
