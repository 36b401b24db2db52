/* kernel/vmm/apic.h: the guest's local APIC in x2APIC mode (MSRs) or
 * xAPIC mode (its MMIO page: Linux falls back to it when it finds no
 * interrupt remapping) with the TSC-deadline timer: the cheapest timer a
 * guest can have, one WRMSR exit to arm. One VCPU: IPIs to itself are
 * delivered, any other is refused and counted.
 *
 * The VMM calls vmm_apic_rdmsr/wrmsr on MSR exits, vmm_apic_tick with
 * the TSC before each VMEnter (and arms its own host timer for
 * vmm_apic_deadline), then vmm_apic_pending: a vector to inject, which it
 * passes to vmm_apic_accept once it is in MR_INJECT. */
#ifndef THATTE_KVMM_APIC_H
#define THATTE_KVMM_APIC_H

#include "vmm.h"

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST 0x8ff

#define APIC_BASE_DEFAULT 0xfee00000u
#define APIC_PAGE 0x1000u
#define APIC_BASE_BSP (1u << 8)
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_EN (1u << 11)

enum { LVT_CMCI, LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

struct vmm_apic {
        uint64_t base;          /* IA32_APIC_BASE */
        uint32_t id;
        uint32_t tpr, svr, esr;
        uint32_t lvt[LVT_COUNT];
        uint32_t init_count, divide;
        uint64_t icr;
        uint64_t deadline;      /* TSC; 0: not armed */
        uint32_t irr[8], isr[8];
        uint32_t tmr[8];        /* level-triggered vectors accepted from the I/O APIC */
        uint32_t eoi_level[8];  /* level-triggered vectors EOI'd, for the I/O APIC */
        uint64_t refused_ipis;  /* to other CPUs, or NMI/INIT/SIPI/...: none here */
        uint32_t ldr, dfr, icr_high;    /* xAPIC mode's own registers */
        uint64_t bad_mmio;      /* xAPIC page accesses dropped: width, offset, value, mode */
};

/* At reset, as firmware leaves it with x2APIC on (x2apic true) or in
 * xAPIC mode. */
void vmm_apic_init(struct vmm_apic *a, uint32_t id, bool x2apic);

/* 0: done; -VMM_EINVAL: the guest is to get #GP(0); -VMM_ENOENT: not an
 * APIC MSR (the caller's). */
int vmm_apic_rdmsr(struct vmm_apic *a, uint32_t msr, uint64_t *val);
int vmm_apic_wrmsr(struct vmm_apic *a, uint32_t msr, uint64_t val);

/* The TSC the timer fires at; 0 when it will not (not armed, masked, not
 * in TSC-deadline mode, APIC disabled). */
uint64_t vmm_apic_deadline(const struct vmm_apic *a);
/* Fires the timer if its deadline is reached at tsc. */
void vmm_apic_tick(struct vmm_apic *a, uint64_t tsc);
/* An interrupt from a device model: -VMM_EINVAL for vectors below 16. */
int vmm_apic_raise(struct vmm_apic *a, uint8_t vector);
/* A level-triggered interrupt from the I/O APIC: as vmm_apic_raise, and
 * its EOI is reported back through vmm_apic_take_eoi. */
int vmm_apic_raise_level(struct vmm_apic *a, uint8_t vector);
/* A level-triggered vector the guest EOI'd since the last call, or -1:
 * the owner passes it to vmm_ioapic_eoi (the EOI broadcast). */
int vmm_apic_take_eoi(struct vmm_apic *a);
/* The vector to inject now, or -1 (none, or masked by TPR or one in
 * service of a higher class). The guest's RFLAGS.IF is the caller's. */
int vmm_apic_pending(const struct vmm_apic *a);
/* The vector went into the guest: from IRR to ISR. */
void vmm_apic_accept(struct vmm_apic *a, uint8_t vector);

/* A message-signalled interrupt (an MSI or MSI-X entry's address and
 * data) written to the local APIC's window: only a fixed or
 * lowest-priority, edge message to this CPU (physical ID, logical flat
 * bit, broadcast) with a vector of 16 or more raises it; anything else
 * (another address: a DMA write on hardware) is -VMM_EINVAL. */
int vmm_apic_msi(struct vmm_apic *a, uint64_t address, uint32_t data);

/* xAPIC mode's register page at APIC_BASE_DEFAULT, one MMIO access at
 * offset into it: -VMM_ENOENT outside the page; otherwise 0 (what the
 * page refuses reads 0, writes nothing and is counted in bad_mmio; in
 * x2APIC mode or disabled the page does not decode). A write may raise
 * an interrupt (a self IPI) or EOI one. */
int vmm_apic_mmio_read(struct vmm_apic *a, uint64_t offset, unsigned size, uint64_t *value);
int vmm_apic_mmio_write(struct vmm_apic *a, uint64_t offset, unsigned size, uint64_t value);

#endif
