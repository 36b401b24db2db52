#!/bin/bash
# tests/kernel/aarch64-boot.sh: thatte-mk's aarch64 image (kernel/arch/aarch64)
# booted by qemu-system-aarch64 -machine virt -kernel, under TCG, on the
# CPUs, GIC versions, entry levels and memory sizes the layer supports:
# each boot must log its entry level, the GIC version, CNTFRQ as read, the
# memory size from the device tree, boot the core's objects from it, load
# the root task (kernel/root, built for aarch64 and carried in the image)
# into a core VSpace with ASID 1, and the root task's self-checks must pass
# as on x86-64: retype, threads in a second address space, 1000 IPC round
# trips (at most 400 instructions each under -icount shift=0), preemption,
# a data abort and a privileged instruction delivered to fault endpoints,
# a badged console cap, the PL011's interrupt (GIC line 33) to a
# notification; then "thatte-root: ready", the kernel idles with nothing
# to run and ends QEMU through PSCI SYSTEM_OFF (exit status 0 within the
# timeout). All of RAM is in the kernel's direct map (4 GiB and 6 GiB reach
# above 4 GiB: RAM starts at 1 GiB), its last word reached, the byte above
# it unmapped (thatte.test=past-ram panics); the root task's
# code was made coherent for EL0 the way CTR_EL0 asks (Cortex-A53: a VIPT
# instruction cache, ic ialluis; A72 and max, QEMU 7.2's A57-like CTR_EL0:
# PIPT, ic ivau). thatte.test=panic must end in "thatte-mk: panic:"
# without "ready", QEMU powered off as well, with a backtrace (as x86-64's
# direct-panic.sh checks it: at least 3 lines "thatte-mk:   #N ADDR
# FUNCTION+0xOFF", each a function of thatte-mk-aarch64.elf at ADDR - OFF)
# that names the path: test_fault, the leaf that faulted, its caller
# test_nested (from LR: a leaf keeps no frame record), arch_test_panic and
# arch_main; past-ram's names arch_main. thatte.test=panic-bad-fp faults
# with x29 at forged frame records whose last caller link is unmapped:
# the backtrace follows the forged ones and ends there, no second panic. thatte.test=hostile runs the
# hostile children's arch-neutral cases, all ok, and the kernel refuses
# device memory asked for as anything but device Frames. The root task
# drives the display itself from the devices the kernel found in the
# device tree: ramfb through fw_cfg DMA ("thatte-root: painted 1024x768")
# and bochs-display with the BARs it placed through the PCIe ECAM
# ("painted 1280x800"; the ECAM above 4 GiB, and below it with
# highmem=off), on some of the boots above and with a QMP
# screendump that is the gradient (QEMU kept after the power-off with
# -no-shutdown); beside bochs-display a display channel on ivshmem, with
# hostile input written into its shared file. Last, the same image
# through thatte-vmm (arch = "aarch64", firmware none, ramfb).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/boot/panic-frames.sh"
img=${THATTE_MK_AARCH64:-$top_builddir/kernel/thatte-mk-aarch64.img}
elf=${img%.img}.elf                     # its symbols, for the backtrace checks
[ -f "$img" ] || skip_all "no $img (configure found no aarch64-linux-gnu-gcc: gcc-aarch64-linux-gnu)"
require_tool qemu-system-aarch64 timeout
timeout=${THATTE_AARCH64_TIMEOUT:-120}

# boot NAME MACHINE CPU MIB [ARG...]: one boot; its serial output in $scratch/NAME.log.
boot() {
        local name=$1 machine=$2 cpu=$3 mib=$4
        shift 4
        timeout "$timeout" qemu-system-aarch64 -machine "$machine" -cpu "$cpu" -m "$mib" \
                -accel tcg -nodefaults -nographic -display none \
                -serial "file:$scratch/$name.log" -kernel "$img" "$@" >"$scratch/$name.qemu" 2>&1
}

# has NAME REGEX: the boot's log has a line matching REGEX.
has() { grep -aqE "$2" "$scratch/$1.log"; }

# icache CPU: what the kernel must say of CPU's instruction cache.
icache() {
        case $1 in
        cortex-a53) echo 'not PIPT (ic ialluis)' ;;
        *) echo 'PIPT (ic ivau)' ;;
        esac
}

# ready NAME MACHINE CPU MIB EL GIC [DEVICE]: 7 test points, 8 with a
# display DEVICE (ramfb or bochs-display) the root task paints on.
ready() {
        local name=$1 el=$5 gic=$6 dev=${7:-} freq
        if ! check "$name: QEMU powered off by PSCI within ${timeout} s" \
                boot "$1" "$2" "$3" "$4" ${dev:+-device "$dev"}; then
                diag_file "$scratch/$name.log"
                diag_file "$scratch/$name.qemu"
        fi
        check "$name: entered at EL$el, GICv$gic, $4 MiB from the device tree" \
                sh -c 'grep -aq "entered at EL$1," "$4" && grep -aq "gic: v$2," "$4" &&
                       grep -aq "($3 MiB, device tree)" "$4"' - "$el" "$gic" "$4" "$scratch/$name.log"
        check "$name: the core's objects from that memory, the root task's ELF in a core VSpace with ASID 1, IPC, retype, threads, preemption" \
                sh -c 'grep -aqE "core: root CNode of 4096 slots, [0-9]+ Untyped caps" "$1" &&
                       grep -aqE "root: entry 400000, [0-9]+ pages" "$1" &&
                       grep -aq "in TTBR0 (ASID 1), entering EL0" "$1" &&
                       grep -aqE "^thatte-root: started: [0-9]+ untyped caps \([0-9]+ device\), boot arm64 image" "$1" &&
                       grep -aqE "^thatte-root: ipc round trip [0-9]+ instructions" "$1" &&
                       grep -aq "^thatte-root: retyped CNodes, TCBs" "$1" &&
                       grep -aq "^thatte-root: preemption: two busy threads at equal priority both ran" "$1"' \
                - "$scratch/$name.log"
        check "$name: faults to their endpoints (data abort, class 0x24; SCTLR_EL1 at EL0, class 0), the badged console, the PL011 interrupt" \
                sh -c 'grep -aq "^thatte-root: page fault isolated: vector 36 at rip 0x[0-9a-f]* address 0xdead0000" "$1" &&
                       grep -aq "^thatte-root: system register access without the privilege isolated: vector 0 " "$1" &&
                       grep -aq "^thatte-user\[51\]: thatte-root: spoof" "$1" &&
                       grep -aq "^thatte-root: console: a child printed through a cap with badge 0x51" "$1" &&
                       grep -aq "^thatte-root: irq 33 (PL011 transmit) delivered to a notification, acknowledged" "$1"' \
                - "$scratch/$name.log"
        check "$name: RAM 40000000 + $4 MiB in the direct map, free RAM reached; code coherent for EL0 ($(icache "$3"))" \
                sh -c 'grep -aq "memory: direct map of RAM 40000000\.\.$4 ($2 MiB), free RAM reached up to $4" "$1" &&
                       grep -aF "cache: CTR_EL0" "$1" | grep -aqF "$3" &&
                       grep -aqE "mmu: user half of 47-bit addresses; [1-9][0-9]* KiB of code made coherent" "$1"' \
                - "$scratch/$name.log" "$4" "$(icache "$3")" "$(printf %x $((0x40000000 + $4 * 1048576)))"
        freq=$(sed -n 's/.*generic timer: \([0-9]*\) Hz.*/\1/p' "$scratch/$name.log")
        diag "$name: CNTFRQ_EL0 $freq Hz; $(grep -a 'timer interrupts' "$scratch/$name.log")"
        check "$name: the generic timer's frequency was read" test "${freq:-0}" -gt 0
        if ! check "$name: the root task's checks passed, thatte-root: ready" \
                sh -c 'grep -aq "^thatte-root: ready" "$1" && ! grep -aq "^thatte-root: FAIL" "$1" &&
                       grep -aq "powering off (PSCI)" "$1"' - "$scratch/$name.log"; then
                diag_file "$scratch/$name.log"
        fi
        case $dev in
        ramfb) check "$name: the root task painted ramfb and handed it over by fw_cfg DMA" \
                sh -c 'grep -aq "^thatte-root: painted 1024x768" "$1" &&
                       grep -aq "^thatte-root: ramfb: 1024x768 XRGB8888 at 0x[0-9a-f]*, handed over by fw_cfg DMA" "$1"' \
                - "$scratch/$name.log" ;;
        bochs-display) check "$name: the root task placed the BARs and painted bochs-display" \
                sh -c 'grep -aqE "^thatte-root: pci: ECAM at 0x[0-9a-f]+, [1-9][0-9]* memory BARs placed" "$1" &&
                       grep -aq "^thatte-root: bochs-display at 0x[0-9a-f]*: mode 1280x800 set" "$1" &&
                       grep -aq "^thatte-root: painted 1280x800" "$1"' - "$scratch/$name.log" ;;
        esac
}

plan 84
ready a53-gicv2 virt cortex-a53 256 1 2 ramfb
ready a53-6g virt cortex-a53 6144 1 2
ready a72-gicv3 virt,gic-version=3 cortex-a72 1024 1 3 bochs-display
ready a53-el2 virt,virtualization=on,highmem=off cortex-a53 512 2 2 bochs-display
ready max-el2-gicv3 virt,virtualization=on,gic-version=3 max,pauth-impdef=on 4096 2 3 ramfb
ready a72-el2-gicv2 virt,virtualization=on cortex-a72 2048 2 2
# The IPC round trip in instructions: under -icount shift=0 the counter's
# nanoseconds are instructions (x86-64's direct-boot.sh holds the same goal).
boot icount virt cortex-a53 256 -icount shift=0
ipc=$(sed -n 's/^thatte-root: ipc round trip \([0-9]*\) instructions.*/\1/p' "$scratch/icount.log")
diag "aarch64 ipc round trip ${ipc:-?} instructions (-icount shift=0, Cortex-A53)"
check "icount: ipc round trip at most 400 instructions (${ipc:-none})" test "${ipc:-999999}" -le 400
# The hostile children (kernel/root/hostile-*.c, scripts in
# kernel/root/aarch64/hostile.S): garbage syscalls, tables, a thread
# against itself; every case must end as the caps say, then ready.
check "hostile: QEMU powered off" boot hostile virt cortex-a53 1024 -device ramfb \
        -append "console thatte.test=hostile"
check "hostile: every case ok (syscalls, tables, self), then ready" \
        sh -c 'grep -aqE "^thatte-root: hostile verdict ok: [0-9]+ cases" "$1" &&
               grep -aq "^thatte-root: hostile sys-every-number-all-ones ok" "$1" &&
               grep -aq "^thatte-root: hostile self-revoke-vspace ok" "$1" &&
               ! grep -aq "^thatte-root: hostile .*FAIL" "$1" && grep -aq "^thatte-root: ready" "$1" &&
               ! grep -aq "^thatte-mk: panic" "$1"' - "$scratch/hostile.log" ||
        diag_file "$scratch/hostile.log"
diag "$(grep -a "hostile verdict" "$scratch/hostile.log")"
# Device memory asked for as something else (kernel/root/aarch64/devcheck.c):
# kernel objects from fw_cfg's and the ramfb RAM's device Untyped, a Frame
# larger than the Untyped, a device Frame as an IPC buffer, RAM as a device.
check "hostile: the kernel refuses device memory as anything but device Frames" \
        sh -c 'grep -aq "^thatte-root: device refusal: a TCB from fw_cfg.s device Untyped: kernel error [0-9]* (refused)" "$1" &&
               grep -aq "^thatte-root: device refusal: fw_cfg.s device Frame as the root thread.s IPC buffer: kernel error [0-9]* (refused)" "$1" &&
               grep -aq "^thatte-root: device refusal: an endpoint from the ramfb.s RAM" "$1" &&
               grep -aqE "^thatte-root: device refusals: ([0-9]+) of \1 refused" "$1" &&
               ! grep -aq "(WRONG)" "$1" && grep -aq "^thatte-root: painted 1024x768" "$1"' \
        - "$scratch/hostile.log" || diag_file "$scratch/hostile.log"
check "panic: QEMU powered off" boot panic virt cortex-a72 256 -append "console thatte.test=panic"
check "panic: thatte-mk: panic: line, no ready" \
        sh -c 'grep -aq "^thatte-mk: panic: kernel exception" "$1" && ! grep -aq "thatte-root: ready" "$1"' \
        - "$scratch/panic.log" || diag_file "$scratch/panic.log"
check "panic: the command line came from the device tree" has panic "command line: console thatte.test=panic"
check_panic_frames "$elf" "$scratch/panic.log"
check "panic: the backtrace names the path: test_fault, test_nested, arch_test_panic, arch_main" \
        sh -c 'grep -aqE "^thatte-mk:   #0 0x[0-9a-f]+ test_fault\+" "$1" &&
               grep -aqE "^thatte-mk:   #1 0x[0-9a-f]+ test_nested\+" "$1" &&
               grep -aqE "^thatte-mk:   #[0-9]+ 0x[0-9a-f]+ arch_test_panic\+" "$1" &&
               grep -aqE "^thatte-mk:   #[0-9]+ 0x[0-9a-f]+ arch_main\+" "$1"' - "$scratch/panic.log"
# Nothing but RAM is mapped Normal: the first byte above 256 MiB of RAM
# (in the GiB RAM starts in) faults in the kernel.
check "past-ram: QEMU powered off" boot past-ram virt cortex-a53 256 -append "thatte.test=past-ram"
check "past-ram: the read above RAM faulted (FAR KERNEL_VBASE + 0x50000000), no ready" \
        sh -c 'grep -aq "^thatte-mk: panic: kernel exception .* far ffff000050000000" "$1" &&
               ! grep -aq "thatte-root: ready" "$1"' - "$scratch/past-ram.log" ||
        diag_file "$scratch/past-ram.log"
check_panic_frames "$elf" "$scratch/past-ram.log"
check "past-ram: the backtrace names arch_main" \
        grep -aqE "^thatte-mk:   #[0-9]+ 0x[0-9a-f]+ arch_main\+" "$scratch/past-ram.log"
check "bad-fp: QEMU powered off" boot bad-fp virt cortex-a53 256 -append "thatte.test=panic-bad-fp"
check "bad-fp: one panic; the walk follows the forged records, stops at the unmapped link" \
        sh -c 'test "$(grep -ac "^thatte-mk: panic:" "$1")" = 1 &&
               grep -aqE "^thatte-mk:   #0 0x[0-9a-f]+ arch_test_panic_bad_fp\+" "$1" &&
               grep -aqE "^thatte-mk:   #1 0x[0-9a-f]+ arch_test_panic\+0x4([^0-9a-f]|$)" "$1" &&
               grep -aqE "^thatte-mk:   #2 0x[0-9a-f]+ arch_main\+0x4([^0-9a-f]|$)" "$1" &&
               ! grep -aq "^thatte-mk:   #3 " "$1"' - "$scratch/bad-fp.log" ||
        diag_file "$scratch/bad-fp.log"

QEMU=qemu-system-aarch64
require_helpers
qemu_start -machine virt -cpu cortex-a72 -m 512 -device ramfb -no-shutdown -kernel "$img"
if ! check "ramfb: thatte-root: painted 1024x768" wait_for_line "$serial_log" "^thatte-root: painted 1024x768" "$timeout"; then
        diag_file "$serial_log"
fi
check "ramfb: thatte-root: ready" wait_for_line "$serial_log" "^thatte-root: ready" "$timeout"
check "ramfb: the kernel only set RAM aside, the root task drove ramfb" \
        sh -c 'grep -aq "^thatte-mk: .*ramfb: 4 MiB of RAM at [0-9a-f]* for the root task" "$1" &&
               grep -aq "^thatte-root: ramfb: 1024x768 XRGB8888 at 0x[0-9a-f]*, handed over by fw_cfg DMA" "$1"' \
        - "$serial_log"
check_screen_gradient "ramfb: " 1024x768 "$scratch/ramfb.ppm"
qemu_stop
# bochs-display and a display channel (ivshmem-plain on a shared file):
# no firmware placed their BARs; the root task does, through the ECAM the
# device tree names, sets the mode through BAR2's VBE registers, and opens
# the channel in ivshmem's BAR2 with channel.c, as on x86-64 (DriverOS
# showing it: tests/display/system-aarch64.sh).
truncate -s 16M "$scratch/channel"
qemu_start -machine virt,gic-version=3 -cpu cortex-a53 -m 256 -device bochs-display -no-shutdown \
        -object "memory-backend-file,id=ch,share=on,mem-path=$(qemu_opt_escape "$scratch/channel"),size=16M" \
        -device ivshmem-plain,memdev=ch -kernel "$img"
if ! check "bochs-display: thatte-root: painted 1280x800" wait_for_line "$serial_log" "^thatte-root: painted 1280x800" "$timeout"; then
        diag_file "$serial_log"
fi
check "bochs-display: thatte-root: ready" wait_for_line "$serial_log" "^thatte-root: ready" "$timeout"
check_screen_gradient "bochs-display: " 1280x800 "$scratch/bochs.ppm"
check "channel: opened in ivshmem's BAR2 inside the PCIe window" \
        grep -aqE "^thatte-root: channel 640x400 at BAR2 0x(1[0-9a-f]|2[0-9a-f]|3[0-9a-e])[0-9a-f]{6} \(16 MiB\), title thatte-mk" "$serial_log"
check "channel: the shared file holds the header (magic, title thatte-mk) the root task wrote" \
        sh -c '[ "$(head -c 7 "$1")" = THTCHNL ] && [ "$(dd if="$1" bs=1 skip=24 count=9 2>/dev/null)" = thatte-mk ]' \
        - "$scratch/channel"
# The compositor's side is untrusted: written here into the shared file
# at the offsets of struct tdc_header (TDC_VERSION 1: heartbeat 936,
# input_tail 952, input_head 976, the 64-event ring of 32 bytes at 992).
# A head 2^63 ahead of the tail must be skipped to, not read through; then
# one key event and one of an unknown type: the key is printed, the other
# ignored, the tail follows the head, and the heartbeat still moves.
u64_at() { od -An -tu8 -j"$2" -N8 "$1" | tr -d ' '; }
put_le() { # FILE OFFSET BYTES VALUE: VALUE little-endian in BYTES bytes
        local i s=
        for ((i = 0; i < $3; i++)); do s+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 255))); done
        printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
ch=$scratch/channel
beat=$(u64_at "$ch" 936)
put_le "$ch" 976 8 $((1 << 63))
check "channel: a hostile input head 2^63 ahead is skipped to, nothing read through" \
        sh -c 'for i in $(seq 100); do [ "$(od -An -tu8 -j952 -N8 "$1" | tr -d " ")" = 9223372036854775808 ] && exit 0; sleep 0.2; done; exit 1' \
        - "$ch"
put_le "$ch" 992 4 1; put_le "$ch" 996 4 30; put_le "$ch" 1008 4 1
put_le "$ch" 1024 4 0x7fffffff; put_le "$ch" 1028 4 31; put_le "$ch" 1040 4 1
put_le "$ch" 976 8 $(((1 << 63) + 2))
check "channel: then a key event is printed, an unknown type ignored" \
        sh -c 'seen() { for i in $(seq 100); do grep -aq "^thatte-root: key 30 1" "$1" && return 0; sleep 0.2; done; return 1; }
               seen "$1" && ! grep -aqE "^thatte-root: (key 31|button|focus)" "$1" && ! grep -aq "^thatte-root: FAIL" "$1"' \
        - "$serial_log"
check "channel: the heartbeat still moves (was ${beat:-?})" \
        sh -c 'for i in $(seq 100); do [ "$(od -An -tu8 -j936 -N8 "$1" | tr -d " ")" -gt "$2" ] && exit 0; sleep 0.2; done; exit 1' \
        - "$ch" "${beat:-0}"
qemu_stop

# thatte-vmm start, screenshot and kill of an aarch64 profile; thatte.stay
# keeps the machine up after "ready" for the screenshot.
vmm=${THATTE_VMM:-$top_builddir/vmm/thatte-vmm}
export XDG_RUNTIME_DIR=$scratch/run XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config
mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
printf '[vm]\nname = "mk64"\narch = "aarch64"\ncpu = "cortex-a53"\nmemory = 256\n[boot]\nfirmware = "none"\nkernel = "%s"\ncmdline = "thatte.stay"\n[display]\ngpu = "ramfb"\n' \
        "$img" >"$scratch/mk64.toml"
vmm_log=$XDG_RUNTIME_DIR/thatte-vmm/mk64/serial.log
check "thatte-vmm start of an aarch64 profile" "$vmm" start --accel tcg "$scratch/mk64.toml"
if ! check "thatte-vmm: painted and ready on its serial log" wait_for_line "$vmm_log" "^thatte-root: ready" "$timeout"; then
        diag_file "$vmm_log"
fi
if check "thatte-vmm screenshot" "$vmm" screenshot mk64 -o "$scratch/vmm.ppm"; then
        check "thatte-vmm: the gradient" gradient_check --expect-size 1024x768 "$scratch/vmm.ppm"
else
        not_ok "thatte-vmm: the gradient"
fi
check "thatte-vmm kill" "$vmm" kill mk64
finish
