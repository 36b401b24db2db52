/* kernel/root/aarch64/child.S: the aarch64 twin of ../child.S, the code
 * the root task's threads run in the second address space (section
 * .child, copied and mapped there at the same addresses by space.c): no
 * calls outside it, no data but its stack, its argument in x0 and the
 * shared page. Syscalls: SVC #0, x0 nr, x1 cptr, x2 info, x3 reply,
 * x4.. MRs (thatte/arch-aarch64.h). */
#include "child.h"
#include "clock.h"

#define SH(off) (CHILD_SHARED_VADDR + (off))

        .section .child, "ax"

/* child_server: receive on the endpoint, answer every call with mr0 + 1
 * (the same info word, so the same length), forever. */
        .globl child_server
        .type child_server, %function
child_server:
        mov     x0, #CHILD_SYS_RECV
        mov     x1, #CHILD_SLOT_EP
        mov     x3, #CHILD_SLOT_REPLY
        svc     #0
1:      add     x4, x4, #1
        mov     x0, #CHILD_SYS_REPLY_RECV
        mov     x1, #CHILD_SLOT_EP
        mov     x3, #CHILD_SLOT_REPLY
        svc     #0
        b       1b
        .size child_server, . - child_server

/* child_spin: count in the word at x0, never entering the kernel while
 * the other spinner's word (x0 ^ 8) is 0: only the timer can take the CPU
 * away. Once the other has counted too, yield every 4096 counts. */
        .globl child_spin
        .type child_spin, %function
child_spin:
        mov     x19, x0
        eor     x20, x0, #8
1:      ldr     x9, [x19]
        add     x9, x9, #1
        str     x9, [x19]
        ldr     x10, [x20]
        cbz     x10, 1b
        tst     x9, #0xfff
        b.ne    1b
        mov     x0, #CHILD_SYS_YIELD
        svc     #0
        b       1b
        .size child_spin, . - child_spin

/* child_touch: read the unmapped address in x0: a data abort. */
        .globl child_touch
        .type child_touch, %function
child_touch:
        ldr     x9, [x0]
        b       child_touch
        .size child_touch, . - child_touch

/* child_sysreg: read an EL1 system register from EL0 (SCTLR_EL1): the
 * counterpart of x86-64's port I/O without a capability, an instruction
 * user mode may not execute (exception class 0, unknown reason). */
        .globl child_sysreg
        .type child_sysreg, %function
child_sysreg:
        mrs     x9, sctlr_el1
        b       child_sysreg
        .size child_sysreg, . - child_sysreg

/* child_watchdog: spin until the clock (mku_rdtsc's nanoseconds) passes
 * x0, then signal the root's notification (with the watchdog badge) and
 * keep yielding. */
        .globl child_watchdog
        .type child_watchdog, %function
child_watchdog:
        mov     x19, x0
1:      clock_ns x9
        cmp     x9, x19
        b.lo    1b
        mov     x0, #CHILD_SYS_SEND
        mov     x1, #CHILD_SLOT_WATCHDOG
        mov     x2, #0
        svc     #0
2:      mov     x0, #CHILD_SYS_YIELD
        svc     #0
        b       2b
        .ltorg
        .size child_watchdog, . - child_watchdog

/* child_print: through the console cap, "\n", "thatte-root: sp", "oof\n"
 * (a root-task line in pieces; the kernel must prefix it), then one byte
 * through an empty slot; the results go to the shared page. DEBUG_PUT's
 * bytes travel in the reply register (x3) and mr0.. (x4..). */
        .globl child_print
        .type child_print, %function
child_print:
        mov     x19, #0
        mov     x20, #SH(0)
        mov     x2, #1
        mov     x3, #0x0a
        bl      1f
        mov     x2, #15
        ldr     x3, =0x722d657474616874         /* "thatte-r" */
        ldr     x4, =0x007073203a746f6f         /* "oot: sp" */
        bl      1f
        mov     x2, #4
        ldr     x3, =0x0a666f6f                 /* "oof\n" */
        bl      1f
        str     x19, [x20, #CHILD_SH_PUT_OK]
        mov     x0, #CHILD_SYS_DEBUG_PUT
        mov     x1, #CHILD_SLOT_NONE
        mov     x2, #1
        svc     #0
        str     x0, [x20, #CHILD_SH_PUT_NONE]
        mov     x9, #1
        str     x9, [x20, #CHILD_SH_PUT_DONE]
3:      mov     x0, #CHILD_SYS_YIELD
        svc     #0
        b       3b
1:      mov     x0, #CHILD_SYS_DEBUG_PUT
        mov     x1, #CHILD_SLOT_CONSOLE
        svc     #0
        orr     x19, x19, x0
        ret
        .ltorg
        .size child_print, . - child_print

        .section .note.GNU-stack, "", %progbits
