#!/bin/bash
# boot-iso-thatte.sh: boot-iso.sh for `--kernel=thatte --iso` (the cached
# THATTE kernel: its bzImage for GRUB, its UKI for UEFI).
ISO_KERNEL=thatte exec bash "$(dirname -- "$0")/boot-iso.sh" "$@"
