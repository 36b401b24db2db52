# tests/boot/uefi-lib.sh: what the UEFI tests of the real kernel share
# (source it after tests/integration/lib.sh): the programs and images,
# from the build tree (top_builddir) or THATTE_MKESP, THATTE_MKBOOT,
# THATTE_BOOT_EFI, THATTE_MK_ELF and THATTE_ROOT_ELF (e.g. the installed
# /usr/lib/thatte/efi ones), the tools they need (a skip without the
# kernel), and uefi_esp_with CMDLINE: checks that an image packed with
# that command line and an ESP holding it are built ($esp), or bails out.
b=${top_builddir:-}
mkesp=${THATTE_MKESP:-${b:+$b/efi/thatte-mkesp}}
mkboot=${THATTE_MKBOOT:-${b:+$b/efi/thatte-mkboot}}
loader=${THATTE_BOOT_EFI:-${b:+$b/efi/thatte-boot.efi}}
kernel=${THATTE_MK_ELF:-${b:+$b/kernel/thatte-mk.elf}}
root=${THATTE_ROOT_ELF:-${b:+$b/kernel/root/thatte-root.elf}}
[ -n "$mkesp" ] && [ -n "$mkboot" ] || bail_out "set top_builddir, or THATTE_MKESP and THATTE_MKBOOT"

require_tool "$QEMU" mmd mcopy nm
PATH=$PATH:/usr/sbin:/sbin require_tool mkfs.fat
require_ovmf
[ -f "$kernel" ] && [ -f "$root" ] || skip_all "thatte-mk.elf or thatte-root.elf not built"

# uefi_esp_with CMDLINE: two checks (packed, ESP built); sets esp.
uefi_esp_with() {
        local packed=$scratch/thatte-mk.efi

        esp=$scratch/esp.img
        check "thatte-mkboot packs with $1" "$mkboot" -o "$packed" --loader "$loader" \
                --kernel "$kernel" --root "$root" --cmdline "$1" || bail_out "cannot pack"
        check "thatte-mkesp builds the ESP" "$mkesp" -o "$esp" "$packed" ||
                bail_out "cannot build the ESP"
}
