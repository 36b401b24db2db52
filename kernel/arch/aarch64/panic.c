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
