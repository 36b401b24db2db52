/* kernel/root/aarch64/clock.h: the clock of start.S and child.S, as
 * libmku's mku_rdtsc has it in C: CNTVCT_EL0 in nanoseconds (whole
 * seconds and the remainder apart: no overflow). Assembly only. */
#ifndef THATTE_ROOT_A64_CLOCK_H
#define THATTE_ROOT_A64_CLOCK_H

/* clock_ns xd: the clock into xd; x9..x13 change. */
.macro clock_ns xd
        isb
        mrs     x9, cntvct_el0
        mrs     x10, cntfrq_el0
        ldr     x11, =1000000000
        udiv    x12, x9, x10
        msub    x13, x12, x10, x9
        mul     x12, x12, x11
        mul     x13, x13, x11
        udiv    x13, x13, x10
        add     \xd, x12, x13
.endm

#endif
