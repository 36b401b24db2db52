/* kernel/root/child.S: the code the root task's threads run in the second
 * address space. It lives in its own page-aligned section (.child, see
 * root.lds) that the root copies into fresh frames and maps read-only there
 * at the same addresses, so it may use nothing outside that section: no
 * calls, no data but its stack, its argument in rdi and the shared page.
 * Syscall registers: rdi nr, rsi cptr, rdx info, r10 reply, r8.. MRs. */
#include "child.h"

        .section .child, "ax"

/* child_server: receive on the endpoint, answer every call with mr0 + 1
 * (the same info word, so the same length), forever. */
        .globl child_server
        .type child_server, @function
child_server:
        movl $CHILD_SYS_RECV, %edi
        movl $CHILD_SLOT_EP, %esi
        movl $CHILD_SLOT_REPLY, %r10d
        syscall
1:      incq %r8
        movl $CHILD_SYS_REPLY_RECV, %edi
        movl $CHILD_SLOT_EP, %esi
        movl $CHILD_SLOT_REPLY, %r10d
        syscall
        jmp 1b
        .size child_server, . - child_server

/* child_spin: count in the word at rdi, never entering the kernel while
 * the other spinner's word (rdi ^ 8) is 0: only the timer can take the CPU
 * away. Once the other has counted too, yield every 4096 counts, so the
 * root gets the CPU back after about one timeslice instead of two. */
        .globl child_spin
        .type child_spin, @function
child_spin:
        movq %rdi, %rbx
        movq %rdi, %rbp
        xorq $8, %rbp
1:      incq (%rbx)
        cmpq $0, (%rbp)
        je 1b
        testl $0xfff, (%rbx)
        jnz 1b
        movl $CHILD_SYS_YIELD, %edi
        syscall
        jmp 1b
        .size child_spin, . - child_spin

/* child_touch: read the unmapped address in rdi: a page fault. */
        .globl child_touch
        .type child_touch, @function
child_touch:
        movq (%rdi), %rax
        jmp child_touch
        .size child_touch, . - child_touch

/* child_port_in: read I/O port rdi without an I/O port capability (IOPL 0,
 * no permission bitmap): a general protection fault. */
        .globl child_port_in
        .type child_port_in, @function
child_port_in:
        movl %edi, %edx
        inb %dx, %al
        jmp child_port_in
        .size child_port_in, . - child_port_in

/* child_watchdog: spin until the TSC passes rdi, then signal the root's
 * notification (with the watchdog badge) and keep yielding: the root waits with
 * this thread below it, so a wait that would never end ends in a FAIL. */
        .globl child_watchdog
        .type child_watchdog, @function
child_watchdog:
        spin_until_tsc
        movl $CHILD_SYS_SEND, %edi
        movl $CHILD_SLOT_WATCHDOG, %esi
        xorl %edx, %edx
        syscall
2:      movl $CHILD_SYS_YIELD, %edi
        syscall
        jmp 2b
        .size child_watchdog, . - child_watchdog

#define SH(off) (CHILD_SHARED_VADDR + (off))

/* child_seg_dirty: read through its TLS base, load other selectors into
 * DS, ES, FS (which also drops its FS base) and GS, enter the kernel,
 * then record its DS and read through its TLS base again; yield for ever. */
        .globl child_seg_dirty
        .type child_seg_dirty, @function
child_seg_dirty:
        movq %fs:0, %rax
        movq %rax, SH(CHILD_SH_SEG_A_TLS0)
        movl $CHILD_SEG_DIRT_SEL, %eax
        movl %eax, %ds
        movl %eax, %es
        movl %eax, %fs
        movl $CHILD_SEG_DIRT_GS, %eax
        movl %eax, %gs
        movl $CHILD_SYS_YIELD, %edi
        syscall
        movl %ds, %eax
        movq %rax, SH(CHILD_SH_SEG_A_DS)
        movq %fs:0, %rax
        movq %rax, SH(CHILD_SH_SEG_A_TLS1)
        movq $1, SH(CHILD_SH_SEG_A_DONE)
        jmp child_yield
        .size child_seg_dirty, . - child_seg_dirty

/* child_seg_probe: record DS, ES, FS, GS and %fs:0 as it starts; yield
 * for ever. */
        .globl child_seg_probe
        .type child_seg_probe, @function
child_seg_probe:
        movl %ds, %eax
        movq %rax, SH(CHILD_SH_SEG_B_DS)
        movl %es, %eax
        movq %rax, SH(CHILD_SH_SEG_B_ES)
        movl %fs, %eax
        movq %rax, SH(CHILD_SH_SEG_B_FS)
        movl %gs, %eax
        movq %rax, SH(CHILD_SH_SEG_B_GS)
        movq %fs:0, %rax
        movq %rax, SH(CHILD_SH_SEG_B_TLS)
        movq $1, SH(CHILD_SH_SEG_B_DONE)
        /* fall through */
child_yield:
        movl $CHILD_SYS_YIELD, %edi
        syscall
        jmp child_yield
        .size child_seg_probe, . - child_seg_probe

/* child_print: through the console cap, "\n", "thatte-root: sp", "oof\n"
 * (a root-task line in pieces; the kernel must prefix it), then one byte
 * through an empty slot; the results go to the shared page. */
        .globl child_print
        .type child_print, @function
child_print:
        xorl %ebx, %ebx
        movl $1, %edx
        movl $0x0a, %r10d
        call 1f
        movl $15, %edx
        movabs $0x722d657474616874, %r10        /* "thatte-r" */
        movabs $0x007073203a746f6f, %r8         /* "oot: sp" */
        call 1f
        movl $4, %edx
        movl $0x0a666f6f, %r10d                 /* "oof\n" */
        call 1f
        movq %rbx, SH(CHILD_SH_PUT_OK)
        movl $CHILD_SYS_DEBUG_PUT, %edi
        movl $CHILD_SLOT_NONE, %esi
        movl $1, %edx
        syscall
        movq %rdi, SH(CHILD_SH_PUT_NONE)
        movq $1, SH(CHILD_SH_PUT_DONE)
        jmp child_yield
1:      movl $CHILD_SYS_DEBUG_PUT, %edi
        movl $CHILD_SLOT_CONSOLE, %esi
        syscall
        orq %rdi, %rbx
        ret
        .size child_print, . - child_print

        .section .note.GNU-stack, "", @progbits
