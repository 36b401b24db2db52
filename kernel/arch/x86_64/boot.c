/* kernel/arch/x86_64/boot.c: after the CPU is the kernel's (main.c):
 * interrupts, SYSCALL, memory to capabilities, the root task, ring 3. */
#include "arch.h"
#include "cpu.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
/* Cleared on SYSCALL: IF (the kernel runs with interrupts off), TF, DF,
 * AC (SMAP stays in force), NT. */
#define SFMASK 0x44700ull

/* SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8 (RPL 3):
 * user code 0x23 and user data 0x1b with base 0x10. */
static void syscall_init(void)
{
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
        wrmsr(MSR_STAR, (0x10ull << 48) | ((uint64_t)SEL_KCODE << 32));
        wrmsr(MSR_LSTAR, (uint64_t)arch_syscall_entry);
        wrmsr(MSR_SFMASK, SFMASK);
}

_Noreturn void arch_boot_finish(const struct thatte_bootinfo *bi)
{
        struct mk_bootinfo mbi;
        struct arch_madt madt;
        uint64_t device_from;
        struct mk_tcb *t;

        arch_pic_disable();
        arch_acpi_madt(bi->rsdp, &madt);
        arch_ioapic_init(&madt);
        syscall_init();
        device_from = arch_mem_boot(&arch_k, bi, &mbi);
        t = arch_root_start(&arch_k, bi, &mbi, device_from);
        if (madt.cpus > 1)
                arch_log("%u CPUs: the others stay parked", madt.cpus);
        arch_lapic_init();
        arch_log("entering the root task, %lu TSC ticks after kernel entry",
                 rdtsc() - arch_tsc_entry);
        arch_resume(arch_next(&t->regs));
}
