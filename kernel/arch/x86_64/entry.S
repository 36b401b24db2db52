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
         * a user rip (below 2^47: the high half below 0x8000), no TLS base
         * to load, a PML4 of its own (arch_next has the rules). */
        cmpl $(USER_TOP >> 32), CTX_RIP + 4(%rax)
        jae syscall_slow
        cmpq $1, CTX_ENTRY(%rax)
        jne syscall_slow
        cmpq $0, CTX_FS(%rax)
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
        movw sel_udata(%rip), %fs       /* FS base 0, as the thread's */
        /* fall through */

/* Segment state on every return to user: DS, ES, FS the user data
 * selector, GS null, the FS base the thread's TLS base (ctx.fs_base,
 * TCB_WRITE_REGISTERS), the GS base 0 (nothing sets it): whatever a thread
 * loaded is gone, so nothing passes from one thread to the next. A
 * non-null FS loads base 0 on every CPU (a null one keeps the old base
 * on some AMD CPUs); GS is null, and the user GS base is 0 anyway. */

/* resume_syscall: rax = the thread, which entered by SYSCALL; FS and its
 * base are loaded. */
resume_syscall:
        movw sel_udata(%rip), %ds
        movw sel_udata(%rip), %es
        movq CTX_RBX(%rax), %rbx
        movq CTX_RBP(%rax), %rbp
        movq CTX_R14(%rax), %r14
        movq CTX_R15(%rax), %r15
        movq TCB_NR(%rax), %rdi
        movq TCB_CPTR(%rax), %rsi
        movq TCB_INFO(%rax), %rdx
        movq TCB_REPLY(%rax), %r10
        movq TCB_MR0(%rax), %r8
        movq TCB_MR1(%rax), %r9
        movq TCB_MR2(%rax), %r12
        movq TCB_MR3(%rax), %r13
        movq CTX_RIP(%rax), %rcx        /* canonical: checked above or by arch_next */
        movq CTX_RSP(%rax), %rsp
        swapgs
        /* r11 = rflags; GS = the 16 bits after its low half: 0 (RFLAGS
         * has no bits above 31), after swapgs so the user's base takes it */
        lgsl CTX_RFLAGS(%rax), %r11d
        movq CTX_RAX(%rax), %rax
        sysretq

syscall_slow:
        movq %rax, %rdi
        call arch_next
resume_or_idle:
        testq %rax, %rax
        jz arch_idle
        movq %rax, %rdi
        /* fall through */

/* ---- arch_resume(t): back to user mode in thread t (CR3 already set):
 * FS and the thread's FS base, then its way back ---- */
        .globl arch_resume
arch_resume:
        movw sel_udata(%rip), %fs
        movl $MSR_FS_BASE, %ecx
        movl CTX_FS(%rdi), %eax
        movl CTX_FS + 4(%rdi), %edx
        wrmsr
        movq %rdi, %rax
        cmpq $1, CTX_ENTRY(%rdi)
        je resume_syscall
        cmpq $2, CTX_ENTRY(%rdi)
        jne resume_full

/* A thread in VMEnter (MK_ENTRY_GUEST): run its guest (vmrun.c), then
 * resume whichever thread comes back. */
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
        movw sel_udata(%rip), %ds
        movw sel_udata(%rip), %es
        movq CTX_RDI(%rdi), %rdi
        swapgs
        movw sel_null(%rip), %gs
        iretq

/* ---- arch_idle: nothing to run; wait for an interrupt ---- */
        .globl arch_idle
arch_idle:
        movq $arch_stack_top, %rsp
        movq $0, %gs:CPU_CUR
        call arch_idle_begin
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

/* Stack here: vector, error, rip, cs, rflags, rsp, ss. An interrupt gate
 * clears IF, TF and NT but keeps DF and AC as the trapped code had them:
 * DF=1 would run the kernel's string instructions backwards, AC=1 would
 * switch SMAP off for it. So every trap starts from rflags = 2 (IF stays
 * clear; iretq restores the trapped code's flags). SYSCALL clears both
 * through SFMASK (boot.c). */
isr_common:
        pushq $2
        popfq
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

        .section .rodata
        .balign 2
sel_udata:
        .word SEL_UDATA
sel_null:
        .word 0
