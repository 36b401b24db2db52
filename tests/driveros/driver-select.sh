#!/bin/bash
# driver-select.sh: `thatte-driveros-make --kernel=thatte --driver` against
# the real linux-source-6.1 tree: `--driver help` lists classes and one
# class's drivers; a typo is a usage error (exit 2) naming close matches,
# before anything is built and with nothing left at the output path; e1000
# by module name, virtio-net by PCI id 1af4:1000 (virtio_pci and
# virtio_net) and snd-hda-intel build into the kernel (the cached .config
# says so, the MANIFEST records what each found), and the image boots with
# QEMU's e1000: the driver binds and the guest's eth0 appears, and the
# compositor reaches the gradient.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_kernel_build
require_tool "$QEMU"
require_helpers
plan 18

make_run() {
        "$drv_make" --cache "$drv_cache" --compositor "$drv_compositor" --init "$drv_init" "$@"
}

make_run --kernel=thatte --driver help >"$scratch/classes" 2>"$scratch/help.err"
check "--driver help exits 0" test $? = 0
check "--driver help lists drivers/net and sound/pci with counts" \
        grep -qE '^drivers/net +[0-9]+$' "$scratch/classes" && grep -qE '^sound/pci +[0-9]+$' "$scratch/classes"
make_run --kernel=thatte --driver help=drivers/net/ethernet/intel >"$scratch/intel" 2>>"$scratch/help.err"
check "--driver help=CLASS lists e1000 with its symbol and prompt" \
        grep -qE '^e1000 +CONFIG_E1000 +Intel\(R\) PRO/1000' "$scratch/intel"
make_run --kernel=thatte --driver help=no/such/class >/dev/null 2>&1
check "--driver help=an unknown class exits 2" test $? = 2

out=$scratch/typo
make_run --kernel=thatte --driver e1001 -o "$out" >"$scratch/typo.log" 2>&1
check "--driver e1001 exits 2" test $? = 2
check "the message names the typo and offers e1000" \
        grep -q "unknown driver 'e1001'" "$scratch/typo.log" && grep -q 'close matches:.* e1000' "$scratch/typo.log"
check "nothing left at or next to the output path" test -z "$(ls -A "$scratch" | grep typo | grep -v 'typo.log')"
check "no kernel built for a typo" test -z "$(grep 'building vmlinux' "$scratch/typo.log")"

img=$scratch/img
if ! check "image with three drivers built" drv_build "$img" -v --kernel=thatte --driver e1000 \
        --driver 1af4:1000 --driver snd-hda-intel --append ignore_loglevel; then
        for ((i = 10; i <= 18; i++)); do not_ok "skipped: no image"; done
        finish
fi
diag "built in $drv_build_seconds s"
drivers=$(sed -n 's/^# drivers: //p' "$img/MANIFEST")
diag "MANIFEST drivers: $drivers"
check "MANIFEST: e1000 found as the module" grep -q 'e1000 -> e1000 (drivers/net/ethernet/intel/e1000)' <<<"$drivers"
check "MANIFEST: 1af4:1000 found as virtio_pci and virtio_net" grep -q '1af4:1000 -> virtio_pci, virtio_net' <<<"$drivers"
check "MANIFEST: snd-hda-intel found" grep -q 'snd-hda-intel -> snd_hda_intel (sound/pci/hda)' <<<"$drivers"
config=$drv_cache/kernel/$(sed -n 's/^# kernel-build: //p' "$img/MANIFEST")/config
check "the kernel's .config builds the three in" grep -qx CONFIG_E1000=y "$config" &&
        grep -qx CONFIG_VIRTIO_NET=y "$config" && grep -qx CONFIG_SND_HDA_INTEL=y "$config"
check "no temporary fragment left in the image" test ! -e "$img/.drivers.config"

drv_boot_direct "$img" -vga none -netdev user,id=n0,restrict=on -device e1000,netdev=n0
wait_for_line "$serial_log" 'thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+|Kernel panic' 300
status=$?
check "the compositor runs" test "$status" = 0 -a "$(grep -ac 'Kernel panic' "$serial_log")" = 0
check "the e1000 driver bound QEMU's e1000: eth0 appeared" \
        grep -aqE 'e1000 [0-9a-f:.]+ eth0: Intel\(R\) PRO/1000 Network Connection' "$serial_log" ||
        diag_file "$serial_log"
line=$(first_match "$serial_log" 'thatte-compositor: (drm|fbdev) [0-9]+x[0-9]+')
check_screen_gradient "" "${line##* }" "$scratch/screen.ppm"
qemu_stop
finish
