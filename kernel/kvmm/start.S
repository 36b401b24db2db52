/* kernel/kvmm/start.S: thatte-kvmm's entry, for its one thread. The
 * root task starts it at the ELF entry with rdi = KVMM_INFO_VADDR (the
 * VCPU thread) and a stack of its own. */
        .section .text.start, "ax"
        .globl _start
        .type _start, @function
_start:
        andq $-16, %rsp
        xorl %ebp, %ebp
        call kvmm_main
1:      ud2
        jmp 1b
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
