#!/bin/bash
# mk-driveros-boot.sh: DriverOS's Linux as the guest of thatte-kvmm, the
# VMM task thatte-mk's root task starts (kernel/kvmm/), on one QEMU under
# `-cpu max` (TCG's SVM with nested paging), booted two ways with the
# modules `root`, `driveros-kernel` (Debian's vmlinuz from the DriverOS
# image thatte-driveros-make builds), `driveros-initrd`, `driveros-cmdline`:
# directly (QEMU -kernel, the PVH entry; `thatte-mkboot --direct` packs the
# modules into the one -initrd bundle) and by GRUB's Multiboot2 (a CD from
# grub-mkrescue, BIOS; `module2 FILE NAME`).
# Markers, each with a timeout: the kernel's module table, the root task
# ready and the VMM started, Linux's version banner behind `driveros: `,
# the VMM's exits-by-reason line, DriverOS's thatte-init (PID 1) printing
# through the emulated UART (user-space output needs COM1's interrupt), the
# screen the root task painted handed over (efifb in screen_info) and
# DriverOS's compositor on it (`thatte-compositor: fbdev ... on /dev/fb0`). The command line carries a line break
# and a fake `thatte-kvmm:` line: it must reach Linux as one line and
# show up only behind `driveros: `. After the direct boot, QMP
# system_powerdown must end QEMU by itself: the root task forwards the
# press to thatte-kvmm, DriverOS powers off, then the root powers off.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/mk-driveros-lib.sh"

mk_driveros_require grub-mkrescue xorriso mformat
[ -f /usr/lib/grub/i386-pc/multiboot2.mod ] || skip_all "GRUB for BIOS not found (Debian package grub-pc-bin)"

# The command line the image's own (what `thatte-driveros-make --system`
# packs: console=ttyS0 quiet panic=-1), without `quiet` so Linux's info
# lines show the I/O APIC and the clocksource, and with no workaround: the
# VMM emulates the I/O APIC and the xAPIC page, the ACPI tables describe
# them, and it puts the TSC's rate the kernel measured in front
# (tsc_early_khz). A line break and a fake VMM line must reach Linux as
# one line and show up only behind driveros: .
cmdline=$'console=ttyS0 panic=-1\nthatte-kvmm: spoofed'
fail_re='^thatte-mk: panic:|^thatte-root: FAIL|^thatte-kvmm: FAIL'
plan 34

drv_build "$scratch/img" || bail_out "thatte-driveros-make could not build the DriverOS image"

# checks NAME: sixteen test points on the serial log of a boot under way.
checks() {
        wait_for_line "$serial_log" "^thatte-kvmm: (linux loaded|FAIL)|$fail_re" "$boot_timeout"
        check "$1: the kernel lists the three modules with their frames" \
                test "$(grep -acE '^thatte-mk: .*root: module driveros-(kernel|initrd|cmdline), [0-9]+ bytes, frames in slots' \
                        "$serial_log")" = 3
        check "$1: the root task starts the VMM" \
                grep -aq '^thatte-root: kvmm started: its own space and CNode' "$serial_log"
        check "$1: thatte-root: ready" grep -aq '^thatte-root: ready' "$serial_log"
        tsc=$(sed -n 's/^thatte-mk: .*tsc \([0-9][0-9]*\) kHz.*/\1/p' "$serial_log" | head -1)
        check "$1: the kernel measures the TSC (${tsc:-none} kHz)" test "${tsc:-0}" -gt 0
        check "$1: the VMM loads Linux with its TSC rate and the module's command line, one line" \
                grep -aq "^thatte-kvmm: linux loaded: .*command line \"tsc_early_khz=$tsc pci=noearly console=ttyS0 panic=-1 thatte-kvmm: spoofed\"" \
                "$serial_log"
        wait_for_line "$serial_log" '^driveros: .*Linux version [0-9]|'"$fail_re" "$linux_timeout"
        diag "$1: Linux's banner after $(seconds_since "$qemu_started_at") s"
        check "$1: Linux's version banner behind driveros: " \
                grep -aqE '^driveros: .*Linux version [0-9]' "$serial_log"
        # A report comes at least every 2^34 TSC ticks: the first can come
        # within the first exits (Linux decompresses itself for longer
        # than that under TCG without one). Wait for one with port exits.
        wait_for_line "$serial_log" '^thatte-kvmm: exits [0-9]+, .*ioio' "$linux_timeout"
        check "$1: the VMM counts exits by reason" \
                grep -aqE '^thatte-kvmm: exits [0-9]+, .*ioio [0-9]+' "$serial_log"
        diag "$1: $(grep -a '^thatte-kvmm: exits' "$serial_log" | tail -1)"
        check "$1: the VMM hands the screen over" \
                grep -aqE '^thatte-kvmm: screen handed over: [0-9]+x[0-9]+ at guest-physical' "$serial_log"
        wait_for_line "$serial_log" '^driveros: thatte-init: |'"$fail_re" "$linux_timeout"
        diag "$1: thatte-init after $(seconds_since "$qemu_started_at") s"
        check "$1: Linux runs thatte-init, its lines behind driveros: " \
                grep -aq '^driveros: thatte-init: ' "$serial_log"
        wait_for_line "$serial_log" '^driveros: thatte-compositor: |'"$fail_re" "$linux_timeout"
        diag "$1: the compositor after $(seconds_since "$qemu_started_at") s"
        check "$1: DriverOS's compositor on the handed-over framebuffer" \
                grep -aqE '^driveros: thatte-compositor: fbdev [0-9]+x[0-9]+ .* on /dev/fb0' "$serial_log"
        diag "$1: $(grep -a '^thatte-kvmm: exits' "$serial_log" | tail -1)"
        check "$1: Linux finds the I/O APIC in the MADT" \
                grep -aqE '^driveros: .*IOAPIC\[0\]: apic_id 1, version 32, address 0xfec00000, GSI 0-23' \
                "$serial_log"
        check "$1: Linux takes the TSC rate it was given" \
                grep -aqE "^driveros: .*tsc: Detected $((tsc / 1000))\.[0-9]{3} MHz (processor|TSC)" "$serial_log"
        check "$1: Linux's clocksource is the TSC" \
                grep -aqE '^driveros: .*clocksource: Switched to clocksource tsc(-early)?[[:space:]]*$' "$serial_log"
        # The VMM reports at least every 2^34 TSC ticks while the guest exits.
        check "$1: interrupts come through the I/O APIC (COM1's IRQ 4)" \
                wait_for_line "$serial_log" '^thatte-kvmm: interrupts: ioapic delivered [1-9][0-9]*, .*local apic xapic' 120
        diag "$1: $(grep -a '^thatte-kvmm: interrupts' "$serial_log" | tail -1)"
        check "$1: the command line's fake line shows only behind driveros: " \
                eval '! grep -aq "^thatte-kvmm: spoofed" "$serial_log" &&
                        grep -aq "^driveros: .*Command line: .* thatte-kvmm: spoofed" "$serial_log"'
        check "$1: no panic or failure of thatte-mk, the root task or the VMM" \
                eval '! grep -aqE "$fail_re" "$serial_log"'
        grep -a '^thatte-kvmm: guest stopped' "$serial_log" | while read -r l; do diag "$1: $l"; done
}

# Direct: one bundle, one -initrd.
"$mkboot" --direct -o "$scratch/bundle.cpio" --root "$root" --guest-kernel "$scratch/img/vmlinuz" \
        --guest-initrd "$scratch/img/initrd.img" --guest-cmdline "$cmdline" >"$scratch/mkboot.log" 2>&1 ||
        { diag_file "$scratch/mkboot.log"; bail_out "thatte-mkboot --direct made no bundle"; }
qemu_start -machine pc -cpu max -m 1G -vga std -kernel "$kernel" -initrd "$scratch/bundle.cpio"
checks direct
# The power button with DriverOS running: the root task forwards the press
# to thatte-kvmm, which pulses the DSDT's GED; DriverOS's thatte-init
# powers off, Linux writes S5 to the sleep register, the VMM says so and
# the root powers the machine off. Each line must come after the one before.
# thatte-init's own `powering off` goes through the tty and is often still
# in the 8250's buffer when Linux powers off; Linux's printk lines are not.
power_chain=('^thatte-root: power button: asking DriverOS'
        '^thatte-kvmm: power button: press 1 to DriverOS on GSI 23'
        '^driveros: .*ACPI: PM: Preparing to enter system sleep state S5'
        '^driveros: .*reboot: Power down'
        '^thatte-kvmm: DriverOS powered off' '^thatte-root: power: DriverOS powered off'
        '^thatte-root: power off: S5')
in_order() {
        local at=0 n re
        for re in "${power_chain[@]}"; do
                n=$(grep -anE -m1 -- "$re" "$serial_log" | cut -d: -f1)
                [ -n "$n" ] && [ "$n" -gt "$at" ] || {
                        diag "missing or out of order: $re"
                        grep -aE 'power|Power|reboot' "$serial_log" | while read -r l; do diag "$l"; done
                        return 1
                }
                at=$n
        done
}
qmp '{"execute":"system_powerdown"}' >/dev/null
check "direct: the power button ends QEMU with DriverOS running" qemu_wait_exit 240
check "direct: root forwards, VMM presses, DriverOS powers off, VMM reports, root powers off" in_order
qemu_stop

# Multiboot2: GRUB loads each module by name.
mkdir -p "$scratch/cd/boot/grub" &&
        cp -- "$kernel" "$root" "$scratch/img/vmlinuz" "$scratch/img/initrd.img" "$scratch/cd/boot/" &&
        printf '%s\n' "$cmdline" >"$scratch/cd/boot/cmdline" || bail_out "cannot stage the CD"
cat >"$scratch/cd/boot/grub/grub.cfg" <<'CFG'
set timeout=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry thatte {
        multiboot2 /boot/thatte-mk.elf
        module2 /boot/thatte-root.elf root
        module2 /boot/vmlinuz driveros-kernel
        module2 /boot/initrd.img driveros-initrd
        module2 /boot/cmdline driveros-cmdline
}
CFG
grub-mkrescue -o "$scratch/cd.iso" "$scratch/cd" >"$scratch/mkrescue.log" 2>&1 ||
        { diag_file "$scratch/mkrescue.log"; bail_out "grub-mkrescue made no CD"; }
qemu_start -machine pc -cpu max -m 1G -vga std -cdrom "$scratch/cd.iso"
checks multiboot2
qemu_stop
finish
