/* kernel/arch/x86_64/entry.S: every way into the kernel after boot, and
 * the way back to user mode.
 *
 * The kernel runs with interrupts off on one stack (arch_stack_top; the
 * TSS's rsp0). %gs holds struct arch_cpu while in the kernel (swapgs on
 * each crossing): CPU_CUR is the TCB of the thread in user mode, so entry
 * code saves user registers straight into that TCB's mk_regs (the syscall
 * arguments, per the register ABI in kernel/README.md) and mk_user_ctx.
 * C decides which thread to resume; arch_resume returns by SYSRET when the
 * thread entered by SYSCALL (the lean path: only the registers the ABI
 * keeps), by IRETQ with the whole context otherwise. */
#include "asm.h"

        .text

/* ---- syscall ---- */
        .globl arch_syscall_entry
        .balign 16
arch_syscall_entry:
        swapgs
        movq %rsp, %gs:CPU_SCRATCH
        movq %gs:CPU_CUR, %rsp
        movq %rdi, TCB_NR(%rsp)
        movq %rsi, TCB_CPTR(%rsp)
        movq %rdx, TCB_INFO(%rsp)
        movq %r10, TCB_REPLY(%rsp)
        movq %r8, TCB_MR0(%rsp)
        movq %r9, TCB_MR1(%rsp)
        movq %r12, TCB_MR2(%rsp)
        movq %r13, TCB_MR3(%rsp)
        movq %rbx, CTX_RBX(%rsp)
        movq %rbp, CTX_RBP(%rsp)
        movq %r14, CTX_R14(%rsp)
        movq %r15, CTX_R15(%rsp)
        movq %rax, CTX_RAX(%rsp)
        movq %rcx, CTX_RIP(%rsp)
        movq %r11, CTX_RFLAGS(%rsp)
        movq %gs:CPU_SCRATCH, %rcx
        movq %rcx, CTX_RSP(%rsp)
        movq $1, CTX_ENTRY(%rsp)
        movq $arch_stack_top, %rsp
        movq $arch_k, %rdi
        call mk_syscall
        testq %rax, %rax                /* the regs to resume are at offset 0 of */
        jz arch_idle                    /* their TCB: rax is the TCB */
        /* The common case without C: a thread that entered by SYSCALL,
         * a user rip, a PML4 of its own (arch_next has the rules). */
        movabs $USER_TOP, %rcx
        cmpq %rcx, CTX_RIP(%rax)
        jae syscall_slow
        cmpq $1, CTX_ENTRY(%rax)
        jne syscall_slow
        cmpb $OBJ_PML4, TCB_VS_TYPE(%rax)
        jne syscall_slow
        movabs $-DIRECT_BASE, %rcx
        addq TCB_VS_OBJ(%rax), %rcx
        cmpq %rcx, arch_cur_cr3(%rip)
        je 1f
        movq %rcx, arch_cur_cr3(%rip)
        movq %rcx, %cr3
1:      movq %rax, %gs:CPU_CUR
        movq %rax, %rdi
        jmp resume_syscall
syscall_slow:
        movq %rax, %rdi
        call arch_next
resume_or_idle:
        testq %rax, %rax
        jz arch_idle
        movq %rax, %rdi
        /* fall through */

/* ---- arch_resume(t): back to user mode in thread t (CR3 already set) ---- */
        .globl arch_resume
arch_resume:
        cmpq $1, CTX_ENTRY(%rdi)
        jne resume_other
resume_syscall:
        movq CTX_RBX(%rdi), %rbx
        movq CTX_RBP(%rdi), %rbp
        movq CTX_R14(%rdi), %r14
        movq CTX_R15(%rdi), %r15
        movq CTX_RAX(%rdi), %rax
        movq TCB_CPTR(%rdi), %rsi
        movq TCB_INFO(%rdi), %rdx
        movq TCB_REPLY(%rdi), %r10
        movq TCB_MR0(%rdi), %r8
        movq TCB_MR1(%rdi), %r9
        movq TCB_MR2(%rdi), %r12
        movq TCB_MR3(%rdi), %r13
        movq CTX_RIP(%rdi), %rcx        /* canonical: arch_next checked it */
        movq CTX_RFLAGS(%rdi), %r11
        movq CTX_RSP(%rdi), %rsp
        movq TCB_NR(%rdi), %rdi
        swapgs
        sysretq

/* A thread in VMEnter (MK_ENTRY_GUEST): run its guest (vmrun.c), then
 * resume whichever thread comes back. */
resume_other:
        cmpq $2, CTX_ENTRY(%rdi)
        jne resume_full
        movq $arch_stack_top, %rsp
        call arch_guest_run
        jmp resume_or_idle

resume_full:
        movq $arch_stack_top, %rsp
        pushq $SEL_UDATA
        pushq CTX_RSP(%rdi)
        pushq CTX_RFLAGS(%rdi)
        pushq $SEL_UCODE
        pushq CTX_RIP(%rdi)
        movq CTX_R15(%rdi), %r15
        movq CTX_R14(%rdi), %r14
        movq CTX_R13(%rdi), %r13
        movq CTX_R12(%rdi), %r12
        movq CTX_R11(%rdi), %r11
        movq CTX_R10(%rdi), %r10
        movq CTX_R9(%rdi), %r9
        movq CTX_R8(%rdi), %r8
        movq CTX_RBP(%rdi), %rbp
        movq CTX_RSI(%rdi), %rsi
        movq CTX_RDX(%rdi), %rdx
        movq CTX_RCX(%rdi), %rcx
        movq CTX_RBX(%rdi), %rbx
        movq CTX_RAX(%rdi), %rax
        movq CTX_RDI(%rdi), %rdi
        swapgs
        iretq

/* ---- arch_idle: nothing to run; wait for an interrupt ---- */
        .globl arch_idle
arch_idle:
        movq $arch_stack_top, %rsp
        movq $0, %gs:CPU_CUR
1:      sti
        hlt
        cli
        jmp 1b

/* ---- interrupt and exception stubs: 16 bytes each, vector i at
 * arch_isr_stubs + 16 * i; they push a 0 where the CPU pushes no error
 * code, then the vector. ---- */
        .balign 16
        .globl arch_isr_stubs
arch_isr_stubs:
        .set vec, 0
        .rept 256
        .balign 16
        .if vec == 8 || vec == 10 || vec == 11 || vec == 12 || vec == 13 || vec == 14 || vec == 17 || vec == 21 || vec == 29 || vec == 30
        .else
        pushq $0
        .endif
        pushq $vec
        jmp isr_common
        .set vec, vec + 1
        .endr

/* Stack here: vector, error, rip, cs, rflags, rsp, ss. */
isr_common:
        testb $3, 24(%rsp)
        jz kernel_trap
        cmpq $2, (%rsp)                 /* NMI, #DF, #MC: never trust %gs */
        je kernel_trap
        cmpq $8, (%rsp)
        je kernel_trap
        cmpq $18, (%rsp)
        je kernel_trap
        swapgs
        pushq %rax
        movq %gs:CPU_CUR, %rax
        popq CTX_RAX(%rax)
        movq %r15, CTX_R15(%rax)
        movq %r14, CTX_R14(%rax)
        movq %r13, CTX_R13(%rax)
        movq %r12, CTX_R12(%rax)
        movq %r11, CTX_R11(%rax)
        movq %r10, CTX_R10(%rax)
        movq %r9, CTX_R9(%rax)
        movq %r8, CTX_R8(%rax)
        movq %rbp, CTX_RBP(%rax)
        movq %rdi, CTX_RDI(%rax)
        movq %rsi, CTX_RSI(%rax)
        movq %rdx, CTX_RDX(%rax)
        movq %rcx, CTX_RCX(%rax)
        movq %rbx, CTX_RBX(%rax)
        movq 16(%rsp), %rcx
        movq %rcx, CTX_RIP(%rax)
        movq 32(%rsp), %rcx
        movq %rcx, CTX_RFLAGS(%rax)
        movq 40(%rsp), %rcx
        movq %rcx, CTX_RSP(%rax)
        movq $0, CTX_ENTRY(%rax)
        movq (%rsp), %rdi
        movq 8(%rsp), %rsi
        movq %gs:CPU_KSTACK, %rsp
        xorl %ebp, %ebp
        call arch_user_trap
        jmp resume_or_idle

kernel_trap:
        pushq %rax
        pushq %rbx
        pushq %rcx
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rbp
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rsp, %rdi
        call arch_kernel_trap
        cmpq $1, %rax                   /* 1: return to where the trap hit */
        jne resume_or_idle
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %r11
        popq %r10
        popq %r9
        popq %r8
        popq %rbp
        popq %rdi
        popq %rsi
        popq %rdx
        popq %rcx
        popq %rbx
        popq %rax
        addq $16, %rsp
        iretq
