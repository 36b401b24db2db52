/* kernel/kvmm/kvmm.h: thatte-kvmm's parts, one file each: console.c (its
 * own lines and the guest's), cpuid.c (the CPUID the guest sees), msr.c
 * (the MSRs it emulates), timer.c (the wake-ups), run.c (the exit loop),
 * main.c (the start: the guest loaded and its entry state written). */
#ifndef THATTE_KVMM_H
#define THATTE_KVMM_H

#include "mku/fmt.h"
#include "mku/invoke.h"
#include "mku/syscall.h"
#include "kvmm-info.h"
#include "apic.h"
#include "exits.h"
#include "ports.h"

/* The VMM's whole state: one guest, one VCPU. */
struct kvmm {
        const struct kvmm_info *info;
        uint64_t mr[MK_VCPU_MR_COUNT];  /* VMEnter's message registers */
        struct vmm_apic apic;
        struct vmm_pc pc;
        struct vmm_exit_stats stats;
        uint64_t pat;                   /* IA32_PAT as the guest wrote it */
        uint64_t refused_msrs;          /* accesses answered with #GP */
};

/* TSC ticks a second, as the VMM assumes it for the PIT (the guest
 * calibrates its TSC against the PIT, so any fixed value is consistent). */
#define KVMM_TSC_HZ 1000000000ull

/* console.c */
void kvmm_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The sink COM1 writes the guest's lines to, whole lines per write. */
struct vmm_sink kvmm_guest_sink(void);
/* kvmm_stop: end the VMM's threads for good (the last line said why). */
__attribute__((noreturn)) void kvmm_stop(void);
extern volatile int kvmm_stopped;

/* cpuid.c: the guest's CPUID for leaf eax, subleaf ecx, into r[4]
 * (eax, ebx, ecx, edx). */
void kvmm_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* msr.c: one RDMSR or WRMSR: 0, or -VMM_EINVAL for #GP. */
int kvmm_msr(struct kvmm *v, struct vmm_msr *m);

/* timer.c: the timer thread and the VCPU thread's wait for a deadline. */
extern volatile uint64_t kvmm_wake_at;  /* TSC; 0: nothing armed */
__attribute__((noreturn)) void kvmm_timer_run(void);
void kvmm_wait_until(uint64_t tsc);

/* madt.c: the RSDP, RSDT, XSDT and MADT in guest RAM (at ram, its size
 * ram_size): 0 or -VMM_ENOSPC. */
int kvmm_madt_write(uint8_t *ram, uint64_t ram_size);

/* chan.c: the display channel's PCI function (ivshmem); see chan.c.
 * kvmm_chan_io: an IOIO access to 0xCF8-0xCFF (-VMM_ENOENT: not PCI's);
 * kvmm_chan_npf: a nested page fault in its registers (-VMM_ENOENT: not
 * its own); kvmm_chan_poll: a frame the root published becomes an MSI-X
 * message; kvmm_chan_beat: the timer thread's beat to the root task. */
void kvmm_chan_init(struct kvmm *v);
int kvmm_chan_io(struct vmm_io *io);
int kvmm_chan_npf(struct kvmm *v);
void kvmm_chan_poll(void);
void kvmm_chan_beat(void);

/* run.c */
__attribute__((noreturn)) void kvmm_run(struct kvmm *v);

#endif
