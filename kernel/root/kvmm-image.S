/* kernel/root/kvmm-image.S: thatte-kvmm's ELF (kernel/kvmm/), carried in
 * the root task's read-only data; kvmm.c loads it into a space of its own. */
        .section .rodata
        .balign 4096
        .globl rt_kvmm_elf, rt_kvmm_elf_end
rt_kvmm_elf:
        .incbin "kernel/kvmm/thatte-kvmm.elf"
rt_kvmm_elf_end:

        .section .note.GNU-stack, "", @progbits
