/* kernel/root/hostile.S: the code of the hostile children (hostile*.c).
 * Like child.S it lives in the .child pages, which the root copies into
 * each hostile address space, so it uses nothing outside them: its
 * argument in rdi, the script page and its stack.
 *
 * child_script runs the script at HS_SCRIPT_VADDR (hostile.h): for each
 * op it loads the syscall registers, sets every other register (rsp too)
 * to the op's fill word, enters the kernel and stores what came back; a
 * load, store or copy op touches memory instead. The script ends at
 * child_script_end, whose ud2 reports "done" to the fault endpoint; a
 * fault on the way says how far it got (HS_INDEX). Each hs_insn_* label
 * is one stray instruction a user may not run (the root expects the
 * vector and rip in the fault message); a ud2 follows, so an instruction
 * that wrongly succeeds reports itself at another rip. */
#include "child.h"
#include "hostile.h"

        .section .child, "ax"

        .globl child_script, child_script_end, child_probe, child_probe_done
child_script:
1:      movabsq $HS_SCRIPT_VADDR, %rax
        movq HS_INDEX(%rax), %rcx
        cmpq HS_COUNT(%rax), %rcx
        jae child_script_end
        imulq $HS_OP_SIZE, %rcx, %rbx
        leaq HS_OPS(%rax,%rbx), %rbx
        movq OP_KIND(%rbx), %rcx
        cmpq $HS_OP_LOAD, %rcx
        je 3f
        cmpq $HS_OP_STORE, %rcx
        je 4f
        cmpq $HS_OP_COPY, %rcx
        je 6f
        cmpq $HS_OP_STD, %rcx
        je 7f
        movq HS_IPCBUF(%rax), %rcx
        testq %rcx, %rcx
        jz 2f
        movq OP_IPC4(%rbx), %rdx
        movq %rdx, 32(%rcx)
        movq OP_IPC5(%rbx), %rdx
        movq %rdx, 40(%rcx)
2:      movq OP_NR(%rbx), %rdi
        movq OP_CPTR(%rbx), %rsi
        movq OP_INFO(%rbx), %rdx
        movq OP_REPLY(%rbx), %r10
        movq OP_MR0(%rbx), %r8
        movq OP_MR0 + 8(%rbx), %r9
        movq OP_MR0 + 16(%rbx), %r12
        movq OP_MR0 + 24(%rbx), %r13
        movq OP_FILL(%rbx), %rax
        movq %rax, %rcx
        movq %rax, %rbp
        movq %rax, %r11
        movq %rax, %r14
        movq %rax, %r15
        movq %rax, %rsp
        movq %rax, %rbx
        syscall
        movabsq $HS_SCRIPT_VADDR, %rax
        movq HS_INDEX(%rax), %rcx
        imulq $HS_OP_SIZE, %rcx, %rbx
        leaq HS_OPS(%rax,%rbx), %rbx
        movq %rdi, OP_OUT_NR(%rbx)
        movq %rsi, OP_OUT_CPTR(%rbx)
        movq %rdx, OP_OUT_INFO(%rbx)
        movq %r8, OP_OUT_MR0(%rbx)
5:      incq HS_INDEX(%rax)
        jmp 1b
3:      movq OP_CPTR(%rbx), %rcx
        movq (%rcx), %rdx
        movq %rdx, OP_OUT_NR(%rbx)
        jmp 5b
4:      movq OP_CPTR(%rbx), %rcx
        movq OP_MR0(%rbx), %rdx
        movq %rdx, (%rcx)
        jmp 5b
6:      movq OP_CPTR(%rbx), %rcx
        movq (%rcx), %rdx
        movq %rdx, OP_OUT_NR(%rbx)
        movq OP_MR0(%rbx), %rcx
        movq %rdx, (%rcx)
        jmp 5b
7:      std
        jmp 5b
child_script_end:
        ud2

/* child_probe: read the word at rdi into HS_PROBE, then say done. */
child_probe:
        movq (%rdi), %rax
        movabsq $HS_SCRIPT_VADDR + HS_PROBE, %rcx
        movq %rax, (%rcx)
child_probe_done:
        ud2

/* delete_big: CNODE_DELETE of slot HS_C_BIG of the CNode in slot 1, the
 * result in rdi. */
.macro delete_big
        movl $HS_SYS_CALL, %edi
        movl $1, %esi
        movl $HS_INFO_CNODE_DELETE, %edx
        movl $HS_C_BIG, %r8d
        movl $64, %r9d
        syscall
.endm

/* child_delete_late: spin until the TSC passes rdi, then delete slot
 * HS_C_BIG of its CNode (while another thread may be in a long retype
 * from the Untyped there), then say done. */
        .globl child_delete_late, child_delete_done
child_delete_late:
        spin_until_tsc
        delete_big
        movq %rdi, %rax
child_delete_done:
        ud2

/* child_flag_delete: spin until the script's flag word is not 0 (the
 * other thread is about to start a long call), then unmap the frame in
 * slot HS_C_BIG and delete it as child_delete_late does, store both
 * results in the two words after the flag and say done. */
        .globl child_flag_delete, child_flag_done
child_flag_delete:
        movabsq $HS_SCRIPT_VADDR + HS_FLAG, %rax
1:      cmpq $0, (%rax)
        je 1b
        movl $HS_SYS_CALL, %edi
        movl $HS_C_BIG, %esi
        movl $HS_INFO_PAGE_UNMAP, %edx
        syscall
        movabsq $HS_SCRIPT_VADDR + HS_FLAG + 8, %rax
        movq %rdi, (%rax)
        delete_big
        movabsq $HS_SCRIPT_VADDR + HS_FLAG + 16, %rax
        movq %rdi, (%rax)
child_flag_done:
        ud2

/* HS_INSN label, code: the label sits on the instruction that must fault. */
#define HS_INSN(name, ...) \
        .globl hs_insn_##name; hs_insn_##name: __VA_ARGS__; ud2

HS_INSN(hlt, hlt)
HS_INSN(cli, cli)
HS_INSN(sti, sti)
HS_INSN(in, inb $0x80, %al)
HS_INSN(out, outb %al, $0x80)
HS_INSN(rdmsr, rdmsr)
HS_INSN(wrmsr, wrmsr)
HS_INSN(lgdt, lgdt (%rdi))
HS_INSN(lidt, lidt (%rdi))
HS_INSN(ltr, ltr %di)
HS_INSN(mov_cr3, movq %rdi, %cr3)
HS_INSN(mov_cr0, movq %cr0, %rax)
HS_INSN(invlpg, invlpg (%rdi))
HS_INSN(swapgs, swapgs)
HS_INSN(int3, int3)
HS_INSN(ud2, ud2)
HS_INSN(int80, int $0x80)
HS_INSN(int_pf, int $14)
HS_INSN(int_gp, int $13)
HS_INSN(int_df, int $8)
HS_INSN(int_irq, int $0x20)
HS_INSN(int_timer, int $0x40)
HS_INSN(int_spurious, int $0xff)
HS_INSN(push, pushq %rdi)
HS_INSN(load_ds, movw $0x10, %ax; movw %ax, %ds)
HS_INSN(div0, xorl %ecx, %ecx; divq %rcx)
/* DF, AC, NT and the arithmetic flags set, through a syscall (yield) and
 * into the ud2 fault: the kernel must not run its C code on them. */
HS_INSN(flags, pushq $0x44cd5; popfq; movl $CHILD_SYS_YIELD, %edi; syscall)
HS_INSN(load_tss_gs, movw $0x28, %ax; movw %ax, %gs)
HS_INSN(wrfsbase, wrfsbase %rdi)
HS_INSN(wrgsbase, wrgsbase %rdi)
/* iretq towards ring 0: rip, the kernel's code selector, rflags, rsp, its
 * data selector; the CPU must refuse the privilege change. */
HS_INSN(iret_ring0, pushq $0x10; pushq %rsp; pushq $0x2; pushq $0x08; pushq %rdi; iretq)

        .section .note.GNU-stack, "", @progbits
