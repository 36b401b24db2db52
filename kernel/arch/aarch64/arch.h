/* kernel/arch/aarch64/arch.h: the aarch64 layer's internal interfaces, one
 * section per source file (the file names follow kernel/arch/x86_64/). */
#ifndef THATTE_A64_ARCH_H
#define THATTE_A64_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asm.h"

#define ARCH_PAGE 4096ull

#define sysreg_read(name) ({ uint64_t v_; __asm__ volatile("mrs %0, " #name : "=r"(v_)); v_; })
#define sysreg_write(name, v) __asm__ volatile("msr " #name ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void *arch_phys(uint64_t paddr)
{
        return (void *)(uintptr_t)(paddr + KERNEL_VBASE);
}

static inline uint64_t arch_virt_to_phys(const void *v)
{
        return (uint64_t)(uintptr_t)v - KERNEL_VBASE;
}

static inline uint32_t mmio_read32(uint64_t paddr)
{
        return *(volatile uint32_t *)arch_phys(paddr);
}

static inline void mmio_write32(uint64_t paddr, uint32_t v)
{
        *(volatile uint32_t *)arch_phys(paddr) = v;
}

static inline size_t arch_strlen(const char *s)
{
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

/* ---- head.S, linker script ---- */
extern char arch_stack_bottom[], arch_stack_top[];
extern char __kernel_start[], __kernel_end[], __user_start[], __user_end[];
extern char __text_start[], __text_end[];
void arch_main(uint64_t dtb, uint64_t entry_el);

/* ---- entry.S ---- */
struct arch_frame {
        uint64_t x[31];
        uint64_t elr, spsr, sp_el0;
};
_Noreturn void arch_enter_user(uint64_t pc, uint64_t sp, uint64_t arg);

/* ---- log.c: the PL011 ---- */
#define ARCH_PL011 0x09000000ull        /* QEMU virt's UART0 */
void arch_serial_write(const char *s, size_t n);
/* arch_log: one line "thatte-mk: [secs.micros] TEXT". */
void arch_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* arch_log_plain: one line "thatte-mk: TEXT" (panic output). */
void arch_log_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- timer.c: the generic timer ---- */
extern uint64_t arch_timer_hz;          /* CNTFRQ_EL0 */
/* arch_clock_ns: the virtual counter in nanoseconds (instructions under
 * QEMU -icount shift=0), the unit of the root info's tsc_* fields and of
 * libmku's mku_rdtsc on aarch64 (the same sum: no overflow). */
static inline uint64_t arch_clock_ns(void)
{
        uint64_t t, hz = sysreg_read(cntfrq_el0);

        __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t) : : "memory");
        return t / hz * 1000000000u + t % hz * 1000000000u / hz;
}
void arch_timer_init(unsigned hz);
void arch_timer_rearm(void);
void arch_timer_set(uint64_t at);
uint64_t arch_timer_now(void);
void arch_timer_start(void);       /* struct mk_arch_ops's timer_set */
#define ARCH_TIMER_INTID 30             /* EL1 physical timer, PPI 14 */

/* ---- gic.c: GICv2 or GICv3 on QEMU virt ---- */
extern unsigned arch_gic_version;      /* 2 or 3, known after arch_gic_init */
void arch_gic_init(void);
void arch_gic_enable(unsigned intid);
unsigned arch_gic_ack(void);            /* the IAR value; its low 10 bits: INTID */
void arch_gic_eoi(unsigned iar);
void arch_gic_set_masked(unsigned intid, bool masked);  /* shared interrupts (32 and up) */

/* ---- mmu.c, root-image.S: the root task's address space ---- */
#define ARCH_DIRECT_TOP (1ull << 48)    /* the kernel half's reach (mmu.c may stop lower) */
uint64_t arch_mmu_map_ram(uint64_t base, uint64_t top); /* returns the mapped end */
uint64_t arch_mmu_user_install(const uint64_t *root);   /* returns its ASID */
extern const char arch_root_elf[], arch_root_elf_end[];
struct mk_kernel;
struct mk_bootinfo;
struct thatte_bootinfo;
/* kernel/arch/common/root.c: the root task from bi's module "root" */
struct mk_tcb *arch_root_start(struct mk_kernel *k, const struct thatte_bootinfo *bi,
                               struct mk_bootinfo *mbi, uint64_t device_from);
extern uint64_t arch_tsc_entry;         /* arch_clock_ns() when arch_main began */
/* The root info's TSC rate: the "TSC" here (arch_tsc_entry, libmku's
 * mku_rdtsc) is arch_clock_ns(), nanoseconds. */
#define arch_tsc_khz 1000000u

/* ---- mem.c, ops.c: the core's objects and the hooks it calls ---- */
struct mk_arch_ops;
extern struct mk_kernel arch_k;
extern struct mk_bootinfo arch_bi;
extern uint64_t arch_device_untyped;    /* slot of the first device Untyped */
extern bool arch_test_past_ram;         /* thatte.test=past-ram: read above RAM (a panic) */
extern const struct mk_arch_ops arch_ops;
void arch_core_boot(uint64_t dtb);
#define ARCH_ASID_SHARED 0u             /* roots beyond the 255 ASIDs (ops.c) */
/* A VSpace root's TTBR0 value (its table's physical address, its ASID in
 * bits 63..48) lives in the table's last descriptor, above its user
 * entries: with T0SZ 17 no walk reaches entries 256..511, and the core,
 * which reads a table's shadow entry by entry to empty it, finds no slot
 * for it (the last word of the shadow, where the ASID once was, looked
 * like one: thatte.test=hostile's second case panicked the kernel). Made
 * once by ops.c's vspace_init: a switch loads it as it is. ops.c checks
 * the place. */
#define ARCH_ROOT_TTBR_WORD 511u
static inline uint64_t arch_root_ttbr(const uint64_t *root)
{
        return root[ARCH_ROOT_TTBR_WORD];
}
static inline uint64_t arch_root_asid(const uint64_t *root)
{
        return root[ARCH_ROOT_TTBR_WORD] >> 48;
}

/* ---- cache.c: instruction fetches see what the data side wrote ---- */
void arch_cache_init(void);             /* reads CTR_EL0: before the first map */
void arch_code_sync(const void *kva, size_t size);
extern uint64_t arch_code_synced;       /* bytes arch_code_sync made coherent */

/* ---- context.c: user state between the frame and the TCB ---- */
struct mk_tcb;
struct mk_regs;
struct mk_tcb *arch_save_user(const struct arch_frame *f);
struct arch_frame *arch_resume_user(struct mk_regs *r);
void arch_context_start(const uint64_t *root);

/* ---- trap.c ---- */
struct arch_frame *arch_trap(struct arch_frame *f, uint64_t kind);
struct arch_frame *arch_idle(void);     /* no thread to run: wait for one */
extern uint64_t arch_ticks, arch_ticks_el0;

/* ---- fdt.c: the device tree ---- */
const char *arch_fdt_bootargs(uint64_t dtb);    /* NULL when there are none */
bool arch_fdt_memory(uint64_t dtb, uint64_t *ret_base, uint64_t *ret_size);
struct uefi_map;
bool arch_fdt_uefi_map(uint64_t dtb, struct uefi_map *m);     /* false: none, or malformed */
bool arch_cmdline_has(const char *cmdline, const char *word);

/* The PCIe host bridge of QEMU virt (fdt.c): its ECAM, and the 32-bit
 * memory window as the CPU sees it (mmio) and as PCI does (mmio_bus). */
struct arch_pci_host {
        uint64_t ecam, ecam_size, mmio, mmio_size, mmio_bus;
};
bool arch_fdt_fw_cfg(uint64_t dtb, uint64_t *ret_base);         /* page aligned */
bool arch_fdt_pci(uint64_t dtb, struct arch_pci_host *h);

/* ---- ramfb.c: RAM for the root task's ramfb, devices for the root ---- */
#define ARCH_RAMFB_SIZE (4ull << 20)    /* 1280x800 XRGB8888 and a page for fw_cfg DMA */
extern uint64_t arch_ramfb_phys;        /* 0 without a ramfb */
extern uint64_t arch_fw_cfg;            /* fw_cfg's page, 0: none */
extern struct arch_pci_host arch_pci;   /* ecam 0: none */
void arch_devices_find(uint64_t dtb);
struct thatte_root_devices;
void arch_root_devices(struct thatte_root_devices *d);

/* ---- psci.c ---- */
extern bool arch_psci_smc;
extern bool arch_stay;                  /* thatte.stay: idle instead of powering off */              /* conduit: SMC when EL2 was ours, else HVC */
_Noreturn void arch_power_off(void);

/* ---- panic.c ---- */
_Noreturn void arch_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void arch_panic_trap(const struct arch_frame *f, uint64_t kind);
void arch_test_panic(void);             /* thatte.test=panic: a fault three calls deep */
void arch_test_panic_bad_fp(void);      /* thatte.test=panic-bad-fp: forged records */

/* ---- ../common/backtrace.c ---- */
/* arch_ksym: the function containing addr; NULL when outside the table. */
const char *arch_ksym(uint64_t addr, uint64_t *ret_offset);
/* arch_backtrace: the panic lines "  #N ADDR FUNC+OFF" from pc (and lr,
 * a leaf's caller; 0: none), then the frame-pointer chain from fp
 * (records align-byte aligned). */
void arch_backtrace(uint64_t pc, uint64_t lr, uint64_t fp, uint64_t align);

#endif
