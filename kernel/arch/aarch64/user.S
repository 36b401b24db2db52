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
 *   - threads: YIELD runs its second thread (a core TCB, mmu.c), which
 *     prints through the core, leaves a mark and yields back; this
 *     thread's registers survive the switch (saved in its TCB);
 *   - IPC: 1000 calls the second thread answers (REPLY_RECV), and the
 *     round trip's time: "thatte-root: ipc round trip N instructions";
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

/* core_put: the core's DEBUG_PUT (SVC #0) through the cap in x19 of len
 * bytes at label, which is padded to 40 (x3..x7 carry them); x0 comes
 * back MK_OK or an error. */
.macro core_put label, len
        mov     x0, #A64_MK_SYS_DEBUG_PUT
        mov     x1, x19
        mov     x2, #\len
        adr     x9, \label
        ldp     x3, x4, [x9]
        ldp     x5, x6, [x9, #16]
        ldr     x7, [x9, #32]
        svc     #0
.endm

        .section .user, "ax"
        .balign 4096
        .globl arch_user_entry
arch_user_entry:
        mov     x19, x0                 /* the DebugConsole cap */
        say     m_svc, m_svc_len
        cbnz    x0, failed
        core_put m_core, m_core_len
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
        /* YIELD runs the second thread (same priority), which prints,
         * leaves its mark and yields back; the registers it clobbered are
         * this thread's again. */
        mov     x20, #0x123
        mov     x28, #0x567
        mov     x0, #A64_MK_SYS_YIELD
        svc     #0
        cbnz    x0, failed
        cmp     x20, #0x123
        b.ne    failed
        cmp     x28, #0x567
        b.ne    failed
        ldr     x9, =A64_PARTNER_MARK_VA
        ldr     x9, [x9]
        cmp     x9, #A64_PARTNER_MARK
        b.ne    failed
        say     m_switched, m_switched_len
        bl      ipc_bench
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

/* The second thread (mmu.c starts it, x0 = the DebugConsole cap):
 * clobbers the registers the first one checks, prints through the core,
 * leaves its mark, then yields for ever. */
        .globl arch_user_partner
arch_user_partner:
        mov     x19, x0
        mov     x20, #0
        mov     x28, #0
        core_put m_partner, m_partner_len
        mov     x10, #A64_PARTNER_MARK
        str     x10, [sp, #-16]
        /* Then it serves the IPC round trip: receive on the endpoint
         * (the console cap + 1) with its reply object (+ 2), answer each
         * call with an empty reply and wait for the next. */
        add     x25, x19, #1
        add     x26, x19, #2
        mov     x0, #A64_MK_SYS_RECV
        mov     x1, x25
        mov     x3, x26
        svc     #0
1:      mov     x0, #A64_MK_SYS_REPLY_RECV
        mov     x1, x25
        mov     x2, #0
        mov     x3, x26
        svc     #0
        b       1b

/* ipc_bench: IPC_ROUNDS empty calls to the second thread, timed with
 * CNTVCT_EL0; prints "thatte-root: ipc round trip N instructions", N the
 * nanoseconds of one round trip, which -icount shift=0 makes instructions. */
#define IPC_ROUNDS 1000
ipc_bench:
        mov     x24, x30
        add     x25, x19, #1
        mov     x26, #IPC_ROUNDS
        isb
        mrs     x21, cntvct_el0
1:      mov     x0, #A64_MK_SYS_CALL
        mov     x1, x25
        mov     x2, #0
        svc     #0
        cbnz    x0, failed
        subs    x26, x26, #1
        b.ne    1b
        isb
        mrs     x22, cntvct_el0
        sub     x0, x22, x21
        ldr     x10, =1000000000 / IPC_ROUNDS
        mul     x0, x0, x10
        mrs     x10, cntfrq_el0
        udiv    x20, x0, x10
        sub     sp, sp, #64
        mov     x9, sp
        adr     x10, m_ipc
        mov     x12, #m_ipc_len
        bl      append
        mov     x0, x20
        bl      put_dec
        adr     x10, m_ipc_unit
        mov     x12, #m_ipc_unit_len
        bl      append
        b       put_stack_line

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
        bl      append
        mov     x0, x20
        bl      put_dec
        mov     w13, #'x'
        strb    w13, [x9], #1
        mov     x0, x21
        bl      put_dec
        mov     w13, #'\n'
        strb    w13, [x9], #1
        b       put_stack_line

/* put_stack_line: the end of paint and ipc_bench: print the line built
 * from sp to x9 in the 64 bytes they took, give them back, return to x24. */
put_stack_line:
        mov     x0, sp
        sub     x1, x9, x0
        mov     x8, #SYS_PUT
        svc     #1
        add     sp, sp, #64
        ret     x24

/* append: x12 (> 0) bytes from x10 at x9 (both advanced). */
append:
        ldrb    w13, [x10], #1
        strb    w13, [x9], #1
        subs    x12, x12, #1
        b.ne    append
        ret

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
m_partner: .ascii "thatte-root: el0 second thread ran\n"   /* at most 40 bytes */
        .set    m_partner_len, . - m_partner
        .fill   40 - m_partner_len, 1, 0
m_ipc:  .ascii  "thatte-root: ipc round trip "
        .set    m_ipc_len, . - m_ipc
m_ipc_unit: .ascii " instructions\n"
        .set    m_ipc_unit_len, . - m_ipc_unit
m_switched: .ascii "thatte-root: el0 yield ran the second thread and came back\n"
        .set    m_switched_len, . - m_switched
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
