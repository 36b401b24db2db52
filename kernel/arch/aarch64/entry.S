/* kernel/arch/aarch64/entry.S: the exception vectors, entering EL0.
 *
 * An exception from EL0 saves the whole register file straight into the
 * current thread's TCB (its struct mk_user_ctx, whose address TPIDR_EL1
 * holds; the layout is struct arch_frame's); one from EL1 into a frame on
 * the kernel stack (SP_EL1: EL0 runs on SP_EL0). Both call
 * arch_trap(frame, kind) and return through the frame it returns: the
 * same one, changed maybe (a fault's skip), or the TCB of the thread the
 * core chose, with its results. */
#include "asm.h"

.macro save_frame
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #0]
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x19, [sp, #144]
        stp     x20, x21, [sp, #160]
        stp     x22, x23, [sp, #176]
        stp     x24, x25, [sp, #192]
        stp     x26, x27, [sp, #208]
        stp     x28, x29, [sp, #224]
        mrs     x0, elr_el1
        stp     x30, x0, [sp, #240]
        mrs     x0, spsr_el1
        mrs     x1, sp_el0
        stp     x0, x1, [sp, #256]
.endm

.macro vector kind
        .balign 0x80
        save_frame
        mov     x0, sp
        mov     x1, #\kind
        b       trap_common
.endm

/* Everything of the frame at x0 but x0..x7: SPSR, SP_EL0, ELR, x30,
 * x8..x29. */
.macro restore_upper
        ldp     x1, x2, [x0, #256]
        msr     spsr_el1, x1
        msr     sp_el0, x2
        ldp     x30, x1, [x0, #240]
        msr     elr_el1, x1
        ldp     x8, x9, [x0, #64]
        ldp     x10, x11, [x0, #80]
        ldp     x12, x13, [x0, #96]
        ldp     x14, x15, [x0, #112]
        ldp     x16, x17, [x0, #128]
        ldp     x18, x19, [x0, #144]
        ldp     x20, x21, [x0, #160]
        ldp     x22, x23, [x0, #176]
        ldp     x24, x25, [x0, #192]
        ldp     x26, x27, [x0, #208]
        ldp     x28, x29, [x0, #224]
.endm

/* From EL0: x0 and x1 wait on the stack while x0 points at the TCB's
 * context. A synchronous entry (an SVC among them) also stores x0..x7 as
 * the TCB's struct mk_regs, which lies right before the context
 * (TCB_REGS): the core's syscall reads them there. */
.macro vector_el0 kind
        .balign 0x80
        stp     x0, x1, [sp, #-16]!
        mrs     x0, tpidr_el1
.if \kind == TRAP_EL0_SYNC
        stp     x2, x3, [x0, #TCB_REGS + 16]
        stp     x4, x5, [x0, #TCB_REGS + 32]
        stp     x6, x7, [x0, #TCB_REGS + 48]
.endif
        stp     x2, x3, [x0, #16]
        stp     x4, x5, [x0, #32]
        stp     x6, x7, [x0, #48]
        stp     x8, x9, [x0, #64]
        stp     x10, x11, [x0, #80]
        stp     x12, x13, [x0, #96]
        stp     x14, x15, [x0, #112]
        stp     x16, x17, [x0, #128]
        stp     x18, x19, [x0, #144]
        stp     x20, x21, [x0, #160]
        stp     x22, x23, [x0, #176]
        stp     x24, x25, [x0, #192]
        stp     x26, x27, [x0, #208]
        stp     x28, x29, [x0, #224]
        mov     x1, #\kind
        b       el0_common
.endm

        .text
        .balign 2048
        .globl arch_vectors
arch_vectors:
        vector  TRAP_OTHER              /* current EL, SP_EL0: never used */
        vector  TRAP_OTHER
        vector  TRAP_OTHER
        vector  TRAP_OTHER
        vector  TRAP_EL1_SYNC           /* current EL, SP_EL1 */
        vector  TRAP_EL1_IRQ
        vector  TRAP_OTHER              /* FIQ */
        vector  TRAP_OTHER              /* SError */
        vector_el0 TRAP_EL0_SYNC        /* lower EL, AArch64 */
        vector_el0 TRAP_EL0_IRQ
        vector  TRAP_OTHER
        vector  TRAP_OTHER
        vector  TRAP_OTHER              /* lower EL, AArch32 */
        vector  TRAP_OTHER
        vector  TRAP_OTHER
        vector  TRAP_OTHER

el0_common:
        str     x30, [x0, #240]
        str     xzr, [x0, #CTX_ENTRY]           /* ENTRY_TRAP until the core says SYSCALL */
        ldp     x2, x3, [sp], #16
        stp     x2, x3, [x0, #0]
        stp     x2, x3, [x0, #TCB_REGS]         /* only read after an SVC */
        mrs     x2, elr_el1
        mrs     x3, spsr_el1
        stp     x2, x3, [x0, #248]
        mrs     x2, sp_el0
        str     x2, [x0, #264]
trap_common:
        bl      arch_trap
        /* Return through the frame in x0: a stack frame is popped; a
         * thread that entered by a syscall gets x0..x7 from its regs. */
        mov     x1, sp
        cmp     x0, x1
        b.ne    2f
        add     sp, sp, #FRAME_SIZE
        b       1f
2:      ldr     x1, [x0, #CTX_ENTRY]
        cmp     x1, #ENTRY_SYSCALL
        b.ne    1f
        restore_upper
        ldp     x2, x3, [x0, #TCB_REGS + 16]
        ldp     x4, x5, [x0, #TCB_REGS + 32]
        ldp     x6, x7, [x0, #TCB_REGS + 48]
        ldp     x0, x1, [x0, #TCB_REGS]
        eret
1:      restore_upper
        ldp     x2, x3, [x0, #16]
        ldp     x4, x5, [x0, #32]
        ldp     x6, x7, [x0, #48]
        ldp     x0, x1, [x0, #0]
        eret

/* arch_enter_user(pc, sp, arg): the first entry into EL0, with x0 = arg
 * and every other register but the stack pointer zero, interrupts on. */
        .globl arch_enter_user
arch_enter_user:
        msr     elr_el1, x0
        msr     sp_el0, x1
        mov     x0, x2
        mov     x2, #SPSR_EL0T
        msr     spsr_el1, x2
        ldr     x2, =arch_stack_top
        mov     sp, x2
        .irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
        mov     x\r, xzr
        .endr
        eret
