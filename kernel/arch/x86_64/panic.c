/* kernel/arch/x86_64/panic.c: the kernel stops with a readable report:
 * "thatte-mk: panic: REASON", the registers when a trap caused it (CR2
 * for a page fault), then a backtrace by frame pointers, each frame named
 * from the symbol table the build embedded in .ksyms (../common/
 * backtrace.c, ../common/ksyms.sh), and a
 * last line "thatte-mk: halted" for tests to wait for. */
#include "arch.h"
#include "cpu.h"

_Noreturn void arch_panic(const char *fmt, ...)
{
        char reason[160];
        va_list ap;

        __asm__ volatile("cli");
        va_start(ap, fmt);
        (void)mku_vformat(reason, sizeof(reason), fmt, ap);
        va_end(ap);
        arch_log_plain("panic: %s", reason);
        arch_backtrace((uint64_t)__builtin_return_address(0), 0,
                       *(uint64_t *)__builtin_frame_address(0), 8);   /* the RBP chain */
        arch_log_plain("halted");
        arch_halt();
}

static const char *const exc_names[32] = {
        "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
        "#BR bound range", "#UD invalid opcode", "#NM no FPU", "#DF double fault",
        "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
        "#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
        "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
        "#VE virtualisation", "#CP control protection",
};

_Noreturn void arch_panic_trap(const struct arch_frame *f)
{
        const char *name = f->vector < 32 ? exc_names[f->vector] : NULL;

        arch_log_plain("panic: %s (vector %lu) in kernel mode, error 0x%lx",
                       name ? name : "exception", f->vector, f->error);
        arch_log_plain("  rip %016lx rsp %016lx rflags %08lx cs %lx",
                       f->rip, f->rsp, f->rflags, f->cs);
        arch_log_plain("  rax %016lx rbx %016lx rcx %016lx rdx %016lx", f->rax, f->rbx, f->rcx,
                       f->rdx);
        arch_log_plain("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx", f->rsi, f->rdi, f->rbp,
                       f->r8);
        arch_log_plain("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx", f->r9, f->r10, f->r11,
                       f->r12);
        arch_log_plain("  r13 %016lx r14 %016lx r15 %016lx", f->r13, f->r14, f->r15);
        arch_log_plain("  cr0 %016lx cr2 %016lx cr3 %016lx cr4 %016lx", read_cr0(),
                       read_cr2(), read_cr3(), read_cr4());
        arch_log_plain("backtrace:");
        arch_backtrace(f->rip, 0, f->rbp, 8);
        arch_log_plain("halted");
        arch_halt();
}

/* thatte.test=panic: a page fault three calls deep, so the backtrace
 * has real frames to show. The volatile pointer keeps the store. */
static __attribute__((noipa)) void test_fault(volatile uint64_t *p)
{
        *p = 0x7468617474650a;
        __asm__ volatile("" ::: "memory");
}

static __attribute__((noipa)) void test_nested(unsigned depth)
{
        if (depth)
                test_nested(depth - 1);
        else
                test_fault((volatile uint64_t *)0xdead0000ull);
        __asm__ volatile("" ::: "memory");
}

__attribute__((noipa)) void arch_test_panic(void)
{
        arch_log("thatte.test=panic: faulting on purpose");
        test_nested(2);
        __asm__ volatile("" ::: "memory");
}
