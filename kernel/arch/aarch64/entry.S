/* kernel/arch/aarch64/entry.S: the exception vectors, entering EL0.
 *
 * Every exception the kernel takes saves the whole register file in a
 * frame on the kernel stack (SP_EL1: EL0 runs on SP_EL0), calls
 * arch_trap(frame, kind) and returns through the frame, which the handler
 * may have changed (a system call's results, a fault's skip). */
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
        vector  TRAP_EL0_SYNC           /* lower EL, AArch64 */
        vector  TRAP_EL0_IRQ
        vector  TRAP_OTHER
        vector  TRAP_OTHER
        vector  TRAP_OTHER              /* lower EL, AArch32 */
        vector  TRAP_OTHER
        vector  TRAP_OTHER
        vector  TRAP_OTHER

trap_common:
        bl      arch_trap
        /* fall through: return through the frame at sp */
restore_frame:
        ldp     x0, x1, [sp, #256]
        msr     spsr_el1, x0
        msr     sp_el0, x1
        ldp     x30, x0, [sp, #240]
        msr     elr_el1, x0
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldp     x6, x7, [sp, #48]
        ldp     x8, x9, [sp, #64]
        ldp     x10, x11, [sp, #80]
        ldp     x12, x13, [sp, #96]
        ldp     x14, x15, [sp, #112]
        ldp     x16, x17, [sp, #128]
        ldp     x18, x19, [sp, #144]
        ldp     x20, x21, [sp, #160]
        ldp     x22, x23, [sp, #176]
        ldp     x24, x25, [sp, #192]
        ldp     x26, x27, [sp, #208]
        ldp     x28, x29, [sp, #224]
        add     sp, sp, #FRAME_SIZE
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
