/* kernel/root/start.S: the root task's entry. The kernel starts it with
 * rdi = THATTE_ROOT_INFO_VADDR and a stack; the very first instruction reads
 * the TSC so rt_main can report kernel entry to root task in instructions. */
        .section .text.start, "ax"
        .globl _start
        .type _start, @function
_start:
        rdtsc
        shlq $32, %rdx
        orq %rdx, %rax
        movq %rax, rt_tsc_start(%rip)
        andq $-16, %rsp
        xorl %ebp, %ebp
        call rt_main
1:      jmp 1b
        .size _start, . - _start

        .section .note.GNU-stack, "", @progbits
