# tests/boot/chain-inputs.sh: sourced by the boot-chain tests. Sets mkesp,
# mkboot, loader, kernel and root: the build tree's (top_builddir), or the
# installed files THATTE_MKESP, THATTE_MKBOOT, THATTE_BOOT_EFI,
# THATTE_MK_ELF and THATTE_ROOT_ELF name.
b=${top_builddir:-}
mkesp=${THATTE_MKESP:-${b:+$b/efi/thatte-mkesp}}
mkboot=${THATTE_MKBOOT:-${b:+$b/efi/thatte-mkboot}}
loader=${THATTE_BOOT_EFI:-${b:+$b/efi/thatte-boot.efi}}
kernel=${THATTE_MK_ELF:-${b:+$b/kernel/thatte-mk.elf}}
root=${THATTE_ROOT_ELF:-${b:+$b/kernel/root/thatte-root.elf}}
