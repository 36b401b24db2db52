/* kernel/root/aarch64/start.S: the root task's entry on aarch64. The
 * kernel starts it with x0 = THATTE_ROOT_INFO_VADDR and a stack; the first
 * instructions read the virtual counter and keep it in nanoseconds (the
 * unit of mku_rdtsc and of the root info's tsc_* fields on aarch64), so
 * rt_main can report kernel entry to root task in instructions. */
        .section .text.start, "ax"
        .globl _start
        .type _start, %function
#include "clock.h"

_start:
        clock_ns x9
        adrp    x10, rt_tsc_start
        str     x9, [x10, :lo12:rt_tsc_start]
        mov     x29, #0
        mov     x30, #0
        bl      rt_main
1:      b       1b
        .ltorg
        .size _start, . - _start

        .section .note.GNU-stack, "", %progbits
