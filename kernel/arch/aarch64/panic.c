/* kernel/arch/aarch64/panic.c: the kernel stops with a readable report:
 * "thatte-mk: panic: REASON", the registers when an exception in the
 * kernel caused it (ESR, FAR), then a backtrace by frame pointers (the x29
 * chain of frame records, -fno-omit-frame-pointer; a leaf keeps none,
 * so for an exception LR names its caller), each
 * frame named from the symbol table the build embedded in .ksyms
 * (../common/backtrace.c, ../common/ksyms.sh), then PSCI SYSTEM_OFF. */
#include <stdarg.h>

#include "arch.h"
#include "mku/fmt.h"

#define FRAME_ALIGN 16                  /* AAPCS64 keeps sp, so x29, 16-byte aligned */

_Noreturn void arch_panic(const char *fmt, ...)
{
        char text[200];
        va_list ap;

        __asm__ volatile("msr daifset, #0xf");
        va_start(ap, fmt);
        mku_vformat(text, sizeof(text), fmt, ap);
        va_end(ap);
        arch_log_plain("panic: %s", text);
        arch_backtrace((uint64_t)__builtin_return_address(0), 0,
                       *(uint64_t *)__builtin_frame_address(0), FRAME_ALIGN);
        arch_power_off();
}

/* An exception taken at EL1 (trap.c): the frame entry.S saved. */
_Noreturn void arch_panic_trap(const struct arch_frame *f, uint64_t kind)
{
        __asm__ volatile("msr daifset, #0xf");
        arch_log_plain("panic: kernel exception (kind %lu) at %lx: esr %lx far %lx",
                       (unsigned long)kind, (unsigned long)f->elr,
                       (unsigned long)sysreg_read(esr_el1), (unsigned long)sysreg_read(far_el1));
        arch_log_plain("  elr %016lx spsr %08lx sp %016lx", (unsigned long)f->elr,
                       (unsigned long)f->spsr, (unsigned long)(uintptr_t)(f + 1));
        for (unsigned i = 0; i < 28; i += 4)
                arch_log_plain("  x%02u %016lx %016lx %016lx %016lx", i,
                               (unsigned long)f->x[i], (unsigned long)f->x[i + 1],
                               (unsigned long)f->x[i + 2], (unsigned long)f->x[i + 3]);
        arch_log_plain("  x28 %016lx fp  %016lx lr  %016lx", (unsigned long)f->x[28],
                       (unsigned long)f->x[29], (unsigned long)f->x[30]);
        arch_log_plain("backtrace:");
        arch_backtrace(f->elr, f->x[30], f->x[29], FRAME_ALIGN);
        arch_power_off();
}

/* thatte.test=panic: a read of an unmapped kernel address three calls
 * deep, so the backtrace has real frames to show. noipa keeps the calls
 * (and the frames) apart; the volatile pointer keeps the load. */
static __attribute__((noipa)) void test_fault(volatile const uint64_t *p)
{
        (void)*p;
        __asm__ volatile("" ::: "memory");
}

static __attribute__((noipa)) void test_nested(unsigned depth)
{
        if (depth)
                test_nested(depth - 1);
        else
                test_fault((volatile const uint64_t *)(KERNEL_VBASE + (8ull << 30)));
        __asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void arch_test_panic(void)
{
        arch_log("thatte.test=panic: reading an unmapped kernel address");
        test_nested(2);
        __asm__ volatile("" ::: "memory");
}

/* thatte.test=panic-bad-fp: the same fault with x29 pointing at forged
 * frame records on the stack (the walk must follow them: their return
 * addresses arch_test_panic+4 and arch_main+4) whose last caller link
 * leaves the stack for an unmapped address: the walk must end there,
 * not fault again. x29 is set and the load made in one asm statement. */
__attribute__((noipa)) void arch_test_panic_bad_fp(void)
{
        uint64_t rec[4] __attribute__((aligned(16)));

        rec[0] = (uint64_t)(uintptr_t)&rec[2];
        rec[1] = (uint64_t)(uintptr_t)arch_test_panic + 4;
        rec[2] = KERNEL_VBASE + (8ull << 30);
        rec[3] = (uint64_t)(uintptr_t)arch_main + 4;
        arch_log("thatte.test=panic-bad-fp: faulting with forged frame records");
        __asm__ volatile("mov x9, x29\n\tmov x29, %0\n\tldr x10, [%1]\n\tmov x29, x9"
                         :: "r"(rec), "r"(rec[2]) : "x9", "x10", "memory");
}
