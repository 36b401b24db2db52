#!/bin/bash
# boot-disk-thatte.sh: boot-disk.sh with --kernel=thatte: disk mode keeps
# working on the THATTE kernel (debootstrap, systemd, the compositor's
# unit, power-off through logind). Needs root; minutes.
drv_disk_kernel=thatte exec bash "$(dirname -- "$0")/boot-disk.sh" "$@"
