/* kernel/kvmm/kvmm.h: thatte-kvmm's parts, one file each: console.c (its
 * own lines and the guest's), cpuid.c (the CPUID the guest sees), msr.c
 * (the MSRs it emulates), irq.c (interrupt lines and messages), mmio.c
 * (the emulated register pages), timer.c (the wake-ups), run.c (the exit
 * loop), main.c (the start: the guest loaded and its entry state written). */
#ifndef THATTE_KVMM_H
#define THATTE_KVMM_H

#include "mku/fmt.h"
#include "mku/invoke.h"
#include "mku/syscall.h"
#include "kvmm-info.h"
#include "acpi.h"
#include "apic.h"
#include "exits.h"
#include "ioapic.h"
#include "mmio.h"
#include "ports.h"

/* The VMM's whole state: one guest, one VCPU. */
struct kvmm {
        const struct kvmm_info *info;
        uint64_t mr[MK_VCPU_MR_COUNT];  /* VMEnter's message registers */
        struct vmm_apic apic;
        struct vmm_ioapic ioapic;
        struct vmm_pc pc;
        struct vmm_exit_stats stats;
        uint64_t pat;                   /* IA32_PAT as the guest wrote it */
        uint64_t refused_msrs;          /* accesses answered with #GP */
        uint64_t refused_irqs;          /* lines past the I/O APIC's pins, bad messages */
        uint64_t retry_ticks;           /* TSC ticks before an interrupt IF held back is retried */
        uint64_t restarts;              /* restart.c: how often the guest was started again */
        uint64_t refused_other;         /* refuse.c: string I/O, SVM instructions refused */
        struct vmm_pm pm;               /* the sleep registers (power.c) */
        uint64_t power_presses;         /* presses forwarded to the guest (power.c) */
};

/* Where the guest finds its firmware tables (the BIOS area Linux scans)
 * and the PCI root bridge's 32-bit window the DSDT declares (BARs go
 * there: above the screen at KVMM_FB_GPA, below the I/O APIC). */
#define KVMM_ACPI_GPA 0xe0000u
#define KVMM_PCI_MMIO32_BASE 0xd0000000u
#define KVMM_PCI_MMIO32_SIZE 0x10000000u
#define KVMM_IOAPIC_ID 1u
#define KVMM_POWER_BUTTON_GSI 23u       /* the DSDT's GED (power.c) */

/* console.c */
void kvmm_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The sink COM1 writes the guest's lines to, whole lines per write. */
struct vmm_sink kvmm_guest_sink(void);
/* kvmm_stop: end the VMM's threads for good (the last line said why). */
__attribute__((noreturn)) void kvmm_stop(void);

/* cpuid.c: the guest's CPUID for leaf eax, subleaf ecx, into r[4]
 * (eax, ebx, ecx, edx). */
void kvmm_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* msr.c: one RDMSR or WRMSR: 0, or -VMM_EINVAL for #GP. */
int kvmm_msr(struct kvmm *v, struct vmm_msr *m);

/* timer.c: a HLT's wait: until the TSC reaches tsc, or a signal on the
 * VCPU thread's notification (its badges go to kvmm_badges). */
void kvmm_wait_until(uint64_t tsc);

/* irq.c, the interrupt API for device code (VCPU thread only):
 * kvmm_irq_line raises (level true) or lowers the I/O APIC input gsi as
 * the device's line stands (edge pins fire on a rise, level pins while
 * high until EOI'd); kvmm_msi delivers an MSI/MSI-X message (0, or
 * -VMM_EINVAL for one that is not an interrupt to this CPU); kvmm_irq_sync
 * passes the guest's level EOIs back to the I/O APIC (run.c, each exit). */
void kvmm_irq_line(struct kvmm *v, unsigned gsi, bool level);
int kvmm_msi(struct kvmm *v, uint64_t address, uint32_t data);
void kvmm_irq_sync(struct kvmm *v);

/* mmio.c: a nested page fault at gpa as an access to an emulated
 * register page: 0 (done, rip moved on), -VMM_ENOENT (no device there),
 * or another -errno (the instruction could not be fetched or decoded). */
int kvmm_mmio(struct kvmm *v, uint64_t gpa);

/* i8042.c: the real i8042 handed to the guest (mediated). _io: true when
 * it took the access (0x60, 0x64 while the root task gave the ports).
 * _note: a notification word's IRQ lines; true when one was raised.
 * _lines: the lines onto the guest's I/O APIC (before each VMEnter). */
void kvmm_i8042_init(const struct kvmm_info *info);
bool kvmm_i8042_io(struct vmm_io *io);
bool kvmm_i8042_note(uint64_t word);
void kvmm_i8042_lines(struct kvmm *v);
void kvmm_i8042_reset(void);           /* restart.c: before the new guest runs */
/* chan.c: the display channel's PCI function (ivshmem); see chan.c.
 * kvmm_chan_io: an IOIO access to 0xCF8-0xCFF (-VMM_ENOENT: not PCI's);
 * kvmm_chan_owns / kvmm_chan_access: the MMIO window it decodes (mmio.c
 * sends a decoded access there); kvmm_chan_poll: a frame the root
 * published becomes an MSI-X message. */
void kvmm_chan_init(struct kvmm *v);
int kvmm_chan_io(struct vmm_io *io);
bool kvmm_chan_owns(uint64_t gpa);
int kvmm_chan_access(uint64_t gpa, unsigned size, bool write, uint64_t *value);
void kvmm_chan_poll(void);
/* power.c: kvmm_badges collects the badges of signals on the VCPU
 * thread's notification (run.c, timer.c); kvmm_power_poll turns the
 * root's KVMM_BADGE_POWER into a press of the guest's button (each pass of
 * the exit loop); kvmm_power_io serves the sleep registers: 0 (done; the
 * guest's S5 does not return), or -VMM_ENOENT (not those ports). */
extern volatile uint64_t kvmm_badges;
void kvmm_power_poll(struct kvmm *v);
int kvmm_power_io(struct kvmm *v, struct vmm_io *io);

/* main.c: the devices as at power-on; the guest loaded into RAM (with
 * thatte.restart=N once restarted) and its entry state written. */
void kvmm_fresh(struct kvmm *v);
void kvmm_load(struct kvmm *v);

/* restart.c: the guest stopped for good (why): start it again, or give up
 * after KVMM_RESTARTS_IN_A_ROW quick stops in a row. */
#define KVMM_RESTARTS_IN_A_ROW 5u
__attribute__((noreturn)) void kvmm_restart(struct kvmm *v, const char *why);
void kvmm_started(void);
/* A write that resets a PC: 0xFE to the keyboard controller's command
 * port (pulse the reset line) or the reset bit to port 0xCF9. */
bool kvmm_reset_asked(const struct vmm_io *io);
/* The reset vector as firmware would have it: a reset through 0xCF9. */
void kvmm_reset_vector_write(uint8_t *ram, uint64_t ram_size);
int kvmm_restart_word(char *buf, size_t max, unsigned n);

/* refuse.c: exits a well-behaved guest never causes, answered as the CPU
 * the guest sees would (the exception injected, logged a bounded number
 * of times): 0, or -VMM_ENOENT for an exit it does not know. */
int kvmm_refuse(struct kvmm *v, uint64_t code);

/* run.c */
__attribute__((noreturn)) void kvmm_run(struct kvmm *v);

#endif
