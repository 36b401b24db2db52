/* kernel/kvmm/start.S: thatte-kvmm's entry, for both of its threads. The
 * root task starts them at the ELF entry with rdi = KVMM_INFO_VADDR (the
 * VCPU thread) or 0 (the timer thread) and a stack of their own. */
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
