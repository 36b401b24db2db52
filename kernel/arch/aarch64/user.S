/* kernel/arch/aarch64/user.S: the bring-up task, the first code at EL0.
 * It is not the portable root task (kernel/root/, which needs the core's
 * system calls): it checks what this layer does so far, each check with a
 * line, and says "thatte-root: ready" only when all passed:
 *   - SVC: a system call returns (its output reaches the serial port);
 *   - preemption: timer interrupts arrive while it spins at EL0;
 *   - isolation: loading from the kernel half faults and is caught;
 *   - a bad SVC argument (a kernel address to print) is refused.
 * Position independent: the kernel maps these pages at ARCH_USER_CODE. */
#include "asm.h"

#define SYS_PUT 1
#define SYS_TICKS 2
#define SYS_POWER_OFF 3
#define FAULT_MARK 0xfa17

.macro say label, len
        adr     x0, \label
        mov     x1, #\len
        mov     x8, #SYS_PUT
        svc     #0
.endm

        .section .user, "ax"
        .balign 4096
        .globl arch_user_entry
arch_user_entry:
        say     m_svc, m_svc_len
        cbnz    x0, failed
        /* Spin at EL0 until at least 3 ticks hit it there. */
1:      mov     x9, #20000
2:      subs    x9, x9, #1
        b.ne    2b
        mov     x8, #SYS_TICKS
        svc     #0
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
        ldr     x0, kernel_addr
        mov     x1, #8
        mov     x8, #SYS_PUT
        svc     #0
        cbz     x0, failed
        say     m_refused, m_refused_len
        say     m_ready, m_ready_len
        b       off
failed:
        say     m_failed, m_failed_len
off:
        mov     x8, #SYS_POWER_OFF
        svc     #0
        b       off

        .balign 8
kernel_addr:
        .quad   KERNEL_VBASE + KERNEL_PHYS
m_svc:  .ascii  "thatte-root: el0 svc ok\n"
        .set    m_svc_len, . - m_svc
m_tick: .ascii  "thatte-root: el0 preempted by the timer\n"
        .set    m_tick_len, . - m_tick
m_fault: .ascii "thatte-root: el0 load from the kernel half faulted\n"
        .set    m_fault_len, . - m_fault
m_refused: .ascii "thatte-root: kernel address refused by svc\n"
        .set    m_refused_len, . - m_refused
m_ready: .ascii "thatte-root: ready\n"
        .set    m_ready_len, . - m_ready
m_failed: .ascii "thatte-root: el0 check failed\n"
        .set    m_failed_len, . - m_failed
        .balign 4096
