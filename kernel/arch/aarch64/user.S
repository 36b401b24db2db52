/* kernel/arch/aarch64/user.S: the bring-up task, the first code at EL0.
 * It is not the portable root task (kernel/root/, which needs the core's
 * system calls): it checks what this layer does so far, each check with a
 * line, and says "thatte-root: ready" only when all passed:
 *   - SVC: a system call returns (its output reaches the serial port);
 *   - preemption: timer interrupts arrive while it spins at EL0;
 *   - isolation: loading from the kernel half faults and is caught;
 *   - the core's descriptors: a store to its code and a load where
 *     nothing is mapped fault too;
 *   - a bad SVC argument (a kernel address to print) is refused;
 *   - the core's system call path: DEBUG_PUT through the DebugConsole cap
 *     it gets in x0 (SVC #0, x0..x7 = struct mk_regs, thatte/arch-aarch64.h)
 *     prints a line and returns MK_OK; a length over 40, an empty slot
 *     as the cap and an unknown number come back as errors;
 * and where the kernel set up a ramfb it paints DESIGN.md's gradient
 * (red = 255x/(W-1), green = 255y/(H-1), blue = 0x40) and says
 * "thatte-root: painted WxH".
 * This layer's own system calls are SVC #1 with the number in x8; SVC #0
 * is the core's. Position independent: the kernel copies these pages to
 * ARCH_USER_CODE. */
#include "asm.h"

#define SYS_PUT 1
#define SYS_TICKS 2
#define SYS_POWER_OFF 3
#define SYS_FB 4
#define FAULT_MARK 0xfa17

.macro say label, len
        adr     x0, \label
        mov     x1, #\len
        mov     x8, #SYS_PUT
        svc     #1
.endm

        .section .user, "ax"
        .balign 4096
        .globl arch_user_entry
arch_user_entry:
        mov     x19, x0                 /* the DebugConsole cap */
        say     m_svc, m_svc_len
        cbnz    x0, failed
        mov     x0, #A64_MK_SYS_DEBUG_PUT
        mov     x1, x19
        mov     x2, #m_core_len
        adr     x9, m_core
        ldp     x3, x4, [x9]
        ldp     x5, x6, [x9, #16]
        ldr     x7, [x9, #32]
        svc     #0
        cbnz    x0, failed
        /* The core refuses, and the task goes on: 41 bytes (over
         * MK_DEBUG_PUT_MAX), an empty slot as the cap, no such call. */
        mov     x0, #A64_MK_SYS_DEBUG_PUT
        mov     x1, x19
        mov     x2, #41
        svc     #0
        cbz     x0, failed
        mov     x0, #A64_MK_SYS_DEBUG_PUT
        mov     x1, #4095
        mov     x2, #1
        svc     #0
        cbz     x0, failed
        mov     x0, #0xffff
        svc     #0
        cbz     x0, failed
        say     m_refused_core, m_refused_core_len
        mov     x8, #SYS_FB
        svc     #1
        cbz     x0, 3f
        bl      paint
3:
        /* Spin at EL0 until at least 3 ticks hit it there. */
1:      mov     x9, #20000
2:      subs    x9, x9, #1
        b.ne    2b
        mov     x8, #SYS_TICKS
        svc     #1
        cmp     x0, #3
        b.lo    1b
        say     m_tick, m_tick_len
        mov     x0, #0
        ldr     x9, kernel_addr
        ldr     x0, [x9]
        mov     x10, #FAULT_MARK
        cmp     x0, x10
        b.ne    failed
        say     m_fault, m_fault_len
        /* The core's descriptors hold: the code is read-only at EL0 (a
         * store faults), nothing is mapped where no Frame was (a load
         * 2 MiB above the code faults). */
        mov     x0, #0
        adr     x9, arch_user_entry
        str     x0, [x9]
        mov     x10, #FAULT_MARK
        cmp     x0, x10
        b.ne    failed
        mov     x0, #0
        add     x9, x9, #0x200000
        ldr     x0, [x9]
        cmp     x0, x10
        b.ne    failed
        say     m_space, m_space_len
        ldr     x0, kernel_addr
        mov     x1, #8
        mov     x8, #SYS_PUT
        svc     #1
        cbz     x0, failed
        say     m_refused, m_refused_len
        say     m_ready, m_ready_len
        b       off
failed:
        say     m_failed, m_failed_len
off:
        mov     x8, #SYS_POWER_OFF
        svc     #1
        b       off

/* paint: x0 = the frame buffer, x1 = width, x2 = height (XRGB8888, no
 * padding); then the "painted WxH" line, built on the stack. */
paint:
        mov     x19, x0
        mov     x20, x1
        mov     x21, x2
        sub     x22, x20, #1
        sub     x23, x21, #1
        mov     x11, #255
        mov     x3, #0
10:     mul     x4, x3, x11
        udiv    x4, x4, x23
        mov     x5, #0
11:     mul     x6, x5, x11
        udiv    x6, x6, x22
        lsl     x7, x6, #16
        orr     x7, x7, x4, lsl #8
        orr     x7, x7, #0x40
        str     w7, [x19], #4
        add     x5, x5, #1
        cmp     x5, x20
        b.lo    11b
        add     x3, x3, #1
        cmp     x3, x21
        b.lo    10b
        mov     x24, x30
        sub     sp, sp, #64
        mov     x9, sp
        adr     x10, m_painted
        mov     x12, #m_painted_len
12:     ldrb    w13, [x10], #1
        strb    w13, [x9], #1
        subs    x12, x12, #1
        b.ne    12b
        mov     x0, x20
        bl      put_dec
        mov     w13, #'x'
        strb    w13, [x9], #1
        mov     x0, x21
        bl      put_dec
        mov     w13, #'\n'
        strb    w13, [x9], #1
        mov     x0, sp
        sub     x1, x9, x0
        mov     x8, #SYS_PUT
        svc     #1
        add     sp, sp, #64
        ret     x24

/* put_dec: x0 in decimal at x9 (advanced); largest power of ten first. */
put_dec:
        mov     x14, #1
        mov     x15, #10
1:      mul     x16, x14, x15
        cmp     x16, x0
        b.hi    2f
        mov     x14, x16
        b       1b
2:      udiv    x16, x0, x14
        add     w17, w16, #'0'
        strb    w17, [x9], #1
        msub    x0, x16, x14, x0
        udiv    x14, x14, x15
        cbnz    x14, 2b
        ret

        .balign 8
kernel_addr:
        .quad   KERNEL_VBASE + KERNEL_PHYS
m_core: .ascii  "thatte-root: el0 core syscall ok\n"   /* at most 40 bytes */
        .set    m_core_len, . - m_core
        .fill   40 - m_core_len, 1, 0
m_refused_core: .ascii "thatte-root: el0 core refused a long put, an empty cap, no such call\n"
        .set    m_refused_core_len, . - m_refused_core
m_space: .ascii "thatte-root: el0 code read-only, unmapped pages fault\n"
        .set    m_space_len, . - m_space
m_svc:  .ascii  "thatte-root: el0 svc ok\n"
        .set    m_svc_len, . - m_svc
m_tick: .ascii  "thatte-root: el0 preempted by the timer\n"
        .set    m_tick_len, . - m_tick
m_fault: .ascii "thatte-root: el0 load from the kernel half faulted\n"
        .set    m_fault_len, . - m_fault
m_refused: .ascii "thatte-root: kernel address refused by svc\n"
        .set    m_refused_len, . - m_refused
m_painted: .ascii "thatte-root: painted "
        .set    m_painted_len, . - m_painted
m_ready: .ascii "thatte-root: ready\n"
        .set    m_ready_len, . - m_ready
m_failed: .ascii "thatte-root: el0 check failed\n"
        .set    m_failed_len, . - m_failed
        .balign 4096
