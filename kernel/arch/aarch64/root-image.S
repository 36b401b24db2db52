/* kernel/arch/aarch64/root-image.S: the root task's ELF (kernel/root/,
 * built for aarch64), carried whole in the kernel image, so one file
 * (the Image QEMU's -kernel boots, or the UEFI file thatte-mkboot packs
 * from it) holds kernel and root task. main.c hands it to
 * kernel/arch/common/root.c as the module "root". */
        .section .rodata.root, "a"
        .balign 4096
        .globl arch_root_elf, arch_root_elf_end
arch_root_elf:
        .incbin "kernel/root/thatte-root-aarch64.elf"
arch_root_elf_end:

        .section .note.GNU-stack, "", %progbits
