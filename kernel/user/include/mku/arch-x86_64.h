/* mku/arch-x86_64.h: the x86-64 half of mku/syscall.h (included by it,
 * never alone): the syscall stub (rdi nr, rsi cptr, rdx info, r10 reply,
 * r8 r9 r12 r13 mr0..mr3; rcx and r11 are clobbered by the instruction),
 * the cycle counter and the bare call of the IPC benchmark. */
#ifndef MKU_ARCH_X86_64_H
#define MKU_ARCH_X86_64_H

/* mku_syscall: run the syscall described by r; r holds the results after. */
static inline __attribute__((always_inline)) void mku_syscall(struct mk_regs *r)
{
        register uint64_t rdi __asm__("rdi") = r->nr;
        register uint64_t rsi __asm__("rsi") = r->cptr;
        register uint64_t rdx __asm__("rdx") = r->info;
        register uint64_t r10 __asm__("r10") = r->reply;
        register uint64_t r8 __asm__("r8") = r->mr[0];
        register uint64_t r9 __asm__("r9") = r->mr[1];
        register uint64_t r12 __asm__("r12") = r->mr[2];
        register uint64_t r13 __asm__("r13") = r->mr[3];

        __asm__ volatile("syscall"
                         : "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10),
                           "+r"(r8), "+r"(r9), "+r"(r12), "+r"(r13)
                         :
                         : "rcx", "r11", "memory");
        r->nr = rdi;
        r->cptr = rsi;
        r->info = rdx;
        r->reply = r10;
        r->mr[0] = r8;
        r->mr[1] = r9;
        r->mr[2] = r12;
        r->mr[3] = r13;
}

/* mku_rdtsc: the time stamp counter (instructions under QEMU -icount). */
static inline __attribute__((always_inline)) uint64_t mku_rdtsc(void)
{
        uint32_t lo, hi;

        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        return ((uint64_t)hi << 32) | lo;
}

/* mku_call_bare: CALL on ep with info and mr0 and nothing else around the
 * instruction (the IPC round trip's loop: registers in, none read back). */
static inline __attribute__((always_inline)) void mku_call_bare(uint64_t ep, uint64_t info,
                                                                uint64_t mr0)
{
        register uint64_t rdi __asm__("rdi") = MK_SYS_CALL;
        register uint64_t rsi __asm__("rsi") = ep;
        register uint64_t rdx __asm__("rdx") = info;
        register uint64_t r10 __asm__("r10") = 0;
        register uint64_t r8 __asm__("r8") = mr0;

        __asm__ volatile("syscall"
                         : "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                         :
                         : "rcx", "r11", "r9", "r12", "r13", "memory");
}

#endif
