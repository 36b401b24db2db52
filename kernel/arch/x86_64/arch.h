/* kernel/arch/x86_64/arch.h: the x86-64 layer's internal interfaces, one
 * section per source file. Nothing here is seen by the core. */
#ifndef THATTE_ARCH_H
#define THATTE_ARCH_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asm.h"
#include "kernel.h"
#include "mku/fmt.h"
#include "thatte/bootinfo.h"
#include "thatte/rootinfo.h"

#define ARCH_PAGE 4096ull

static inline size_t arch_strlen(const char *s)
{
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

/* ---- head.S ---- */
extern uint64_t arch_tsc_entry;         /* rdtsc at the first kernel instruction */
extern char arch_stack_bottom[], arch_stack_top[];
_Noreturn void arch_halt(void);
_Noreturn void arch_main(uint64_t bootinfo_phys);

/* ---- linker script ---- */
extern char __kernel_start[], __kernel_end[], __text_start[], __text_end[], __rodata_end[];

/* ---- pvh.c ---- */
_Noreturn void arch_pvh_start(uint32_t start_info);

/* ---- multiboot2.c ---- */
_Noreturn void arch_mb2_start(uint32_t info, uint32_t magic);

/* Formatting: mku_vformat of kernel/user/fmt.c (mku/fmt.h), shared with
 * user programs. */

/* ---- log.c: COM1 ---- */
void arch_serial_init(void);
void arch_serial_write(const char *s, size_t n);
size_t arch_serial_room(void);
size_t arch_serial_step_room(void);
/* arch_log: one line "thatte-mk: [secs.micros] TEXT". */
void arch_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* arch_log_plain: one line "thatte-mk: TEXT" (panic output, exact format). */
void arch_log_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern uint64_t arch_tsc_khz;           /* 0 until calibrated */

/* ---- panic.c ---- */
/* The registers a kernel-mode trap saved (trap.S pushes them in this
 * order below the CPU's frame). */
struct arch_frame {
        uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
        uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
        uint64_t vector, error;
        uint64_t rip, cs, rflags, rsp, ss;
};
_Noreturn void arch_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void arch_panic_trap(const struct arch_frame *f);
/* arch_ksym: the function containing addr; NULL when outside the table. */
const char *arch_ksym(uint64_t addr, uint64_t *ret_offset);
/* arch_backtrace: the panic lines "  #N ADDR FUNC+OFF" from pc (and lr,
 * a leaf's caller; 0: none), then the frame-pointer chain from fp
 * (records align-byte aligned). */
void arch_backtrace(uint64_t pc, uint64_t lr, uint64_t fp, uint64_t align);
void arch_test_panic(void);

/* ---- cpu.c: features and control registers ---- */
struct arch_features {
        bool nx, smep, smap, x2apic, pat, gbpages;
};
extern struct arch_features arch_feat;
void arch_cpu_detect(void);
void arch_cpu_protect(void);    /* WP, SMEP, SMAP, PAT: after the kernel's own tables */

/* ---- gdt.c ---- */
struct arch_cpu {
        struct mk_tcb *cur;             /* CPU_CUR */
        uint64_t scratch;               /* CPU_SCRATCH */
        uint64_t kstack;                /* CPU_KSTACK */
};
extern struct arch_cpu arch_cpu0;
void arch_gdt_init(void);

/* ---- idt.c ---- */
#define VEC_PF 14
#define VEC_IRQ_BASE 0x20               /* MK IRQ n -> vector 0x20 + n */
#define VEC_TIMER 0x40
#define VEC_PIC_BASE 0xe0               /* the masked 8259s, remapped out of the way */
#define VEC_SPURIOUS 0xff
void arch_idt_init(void);

/* ---- mmu.c: the kernel's page tables ---- */
#define ARCH_DIRECT_BASE 0xffff800000000000ull
#define ARCH_DIRECT_MAX ((uint64_t)64 << 30)   /* the direct map covers at most this */
static inline void *arch_phys(uint64_t paddr)
{
        return (void *)(uintptr_t)(paddr + ARCH_DIRECT_BASE);
}
static inline uint64_t arch_virt_to_phys(const void *v)
{
        uintptr_t a = (uintptr_t)v;

        return a >= KERNEL_VBASE ? a - KERNEL_VBASE : a - ARCH_DIRECT_BASE;
}
extern uint64_t arch_direct_end;        /* physical end of the direct map */
extern uint64_t arch_cur_cr3;           /* what CR3 holds (entry.S compares) */
void arch_mmu_init(const struct thatte_bootinfo *bi);
void arch_pml4_init(uint64_t *pml4);
void arch_load_vspace(struct mk_tcb *t);

/* ---- mem.c: boot memory to Untyped ---- */
/* arch_mem_boot: mk_boot, then the Untyped caps, listed in mbi. Returns
 * the slot from which on they are device memory. */
uint64_t arch_mem_boot(struct mk_kernel *k, const struct thatte_bootinfo *bi,
                       struct mk_bootinfo *mbi);

/* ---- acpi.c ---- */
struct arch_madt {
        uint64_t ioapic_base;
        uint32_t ioapic_gsi_base;
        uint32_t gsi_of_isa[16];
        uint16_t flags_of_isa[16];      /* MPS INTI flags: polarity, trigger */
        unsigned cpus;
};
void arch_acpi_madt(uint64_t rsdp, struct arch_madt *ret);
/* arch_acpi_power: the power button and soft-off of the FADT and the
 * DSDT (acpi-power.c) for the root info; all 0 and a log line without. */
void arch_acpi_power(uint64_t rsdp, struct thatte_acpi_power *ret);

/* ---- apic.c ---- */
void arch_pic_disable(void);
void arch_timer_calibrate(void);        /* TSC and LAPIC timer against the PIT */
void arch_lapic_init(void);
void arch_timer_set(uint64_t at);       /* struct mk_arch_ops's timer_set */
void arch_lapic_eoi(void);
void arch_ioapic_init(const struct arch_madt *m);
void arch_irq_set_masked(unsigned irq, int masked);
bool arch_lapic_irq_pending(void);

/* ---- trap.c ---- */
extern struct mk_kernel arch_k;
struct mk_tcb *arch_user_trap(uint64_t vector, uint64_t error);
struct mk_tcb *arch_kernel_trap(struct arch_frame *f);
struct mk_tcb *arch_next(struct mk_regs *r);

/* ---- entry.S ---- */
_Noreturn void arch_resume(struct mk_tcb *t);
_Noreturn void arch_idle(void);
void arch_idle_begin(void);             /* the idle clock starts (trap.c) */
void arch_syscall_entry(void);
extern char arch_isr_stubs[];

/* ---- boot.c ---- */
_Noreturn void arch_boot_finish(const struct thatte_bootinfo *bi);

/* ---- root.c: the root task ---- */
struct mk_tcb *arch_root_start(struct mk_kernel *k, const struct thatte_bootinfo *bi,
                               struct mk_bootinfo *mbi, uint64_t device_from);

/* ---- ops.c ---- */
extern const struct mk_arch_ops arch_ops;

/* ---- cmdline ---- */
bool arch_cmdline_has(const char *cmdline, const char *word);

#endif
