#!/bin/bash
# boot-uki-thatte.sh: boot-uki.sh with --kernel=thatte: the UKI carries the
# THATTE kernel's bzImage (its EFI stub) and OVMF boots it to the gradient.
drv_uki_kernel=thatte exec bash "$(dirname -- "$0")/boot-uki.sh" "$@"
