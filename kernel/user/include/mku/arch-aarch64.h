/* mku/arch-aarch64.h: the aarch64 half of mku/syscall.h (included by it,
 * never alone): the syscall stub (SVC #0, x0..x7 = struct mk_regs in and
 * out, thatte/arch-aarch64.h), the clock and the bare call of the IPC
 * benchmark. */
#ifndef MKU_ARCH_AARCH64_H
#define MKU_ARCH_AARCH64_H

/* mku_syscall: run the syscall described by r; r holds the results after. */
static inline __attribute__((always_inline)) void mku_syscall(struct mk_regs *r)
{
        register uint64_t x0 __asm__("x0") = r->nr;
        register uint64_t x1 __asm__("x1") = r->cptr;
        register uint64_t x2 __asm__("x2") = r->info;
        register uint64_t x3 __asm__("x3") = r->reply;
        register uint64_t x4 __asm__("x4") = r->mr[0];
        register uint64_t x5 __asm__("x5") = r->mr[1];
        register uint64_t x6 __asm__("x6") = r->mr[2];
        register uint64_t x7 __asm__("x7") = r->mr[3];

        __asm__ volatile("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3),
                           "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
                         :
                         : "memory");
        r->nr = x0;
        r->cptr = x1;
        r->info = x2;
        r->reply = x3;
        r->mr[0] = x4;
        r->mr[1] = x5;
        r->mr[2] = x6;
        r->mr[3] = x7;
}

/* mku_ns_of_ticks: generic-timer ticks at hz as nanoseconds, without
 * overflow for any count a machine reaches (the remainder is below hz). */
static inline uint64_t mku_ns_of_ticks(uint64_t ticks, uint64_t hz)
{
        return ticks / hz * 1000000000u + ticks % hz * 1000000000u / hz;
}

/* mku_rdtsc: the virtual counter (CNTVCT_EL0, which the kernel lets EL0
 * read) in nanoseconds, the unit of the x86-64 TSC under QEMU -icount
 * shift=0: instructions there too. The isb keeps the read in order. */
static inline __attribute__((always_inline)) uint64_t mku_rdtsc(void)
{
        uint64_t t, hz;

        __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t) : : "memory");
        __asm__("mrs %0, cntfrq_el0" : "=r"(hz));
        return mku_ns_of_ticks(t, hz);
}

/* mku_call_bare: CALL on ep with info and mr0 and nothing else around the
 * instruction (the IPC round trip's loop: registers in, none read back). */
static inline __attribute__((always_inline)) void mku_call_bare(uint64_t ep, uint64_t info,
                                                                uint64_t mr0)
{
        register uint64_t x0 __asm__("x0") = MK_SYS_CALL;
        register uint64_t x1 __asm__("x1") = ep;
        register uint64_t x2 __asm__("x2") = info;
        register uint64_t x3 __asm__("x3") = 0;
        register uint64_t x4 __asm__("x4") = mr0;

        __asm__ volatile("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
                         :
                         : "x5", "x6", "x7", "memory");
}

#endif
