/* kernel/arch/x86_64/apic.c: interrupts. The two 8259 PICs are remapped
 * out of the exception range and masked for good; the local APIC (xAPIC
 * through MMIO, x2APIC through MSRs where CPUID offers it) gives the
 * core's one-shot timer (TSC-deadline mode where the CPU has it, else a
 * one-shot count converted from TSC ticks), calibrated with the TSC
 * against PIT channel 2; the I/O
 * APIC routes device IRQ n to vector VEC_IRQ_BASE + n, masked until the
 * core asks (IRQ_HANDLER_ACK, SET_NOTIFICATION). */
#include "arch.h"
#include "cpu.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2 (1ull << 10)
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_IRR 0x200
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)
#define MSR_TSC_DEADLINE 0x6e0
#define CPUID1_TSC_DEADLINE (1u << 24)
#define ONE_SHOT_MAX_TSC (1ull << 40)   /* longer waits fire early and are armed again */

#define PIT_HZ 1193182u
#define CALIBRATE_DIV 4u            /* a quarter ms: 298 PIT ticks, 0.3 %; under -icount
                                     * each ms of waiting costs 1M instructions */
#define CALIBRATE_RUNS 5
#define TICK_MS 10u

static volatile uint32_t *lapic_mmio;
static bool tsc_deadline;
static uint32_t lapic_ticks_per_ms;
static volatile uint32_t *ioapic;
static unsigned ioapic_pins, bsp_apic_id;
static struct arch_madt madt;

static uint32_t lapic_read(unsigned reg)
{
        if (arch_feat.x2apic)
                return (uint32_t)rdmsr(0x800 + (reg >> 4));
        return lapic_mmio[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
        if (arch_feat.x2apic)
                wrmsr(0x800 + (reg >> 4), v);
        else
                lapic_mmio[reg / 4] = v;
}

/* Whether the local APIC holds a requested interrupt the kernel would
 * take (device IRQs and the timer: vectors 0x20..0x5f, IRR words 1 and
 * 2): the kernel runs with interrupts off, so long operations ask. */
bool arch_lapic_irq_pending(void)
{
        if (!lapic_mmio)            /* not enabled yet */
                return false;
        return (lapic_read(LAPIC_IRR + 0x10) | lapic_read(LAPIC_IRR + 0x20)) != 0;
}

void arch_pic_disable(void)
{
        static const uint8_t init[2][4] = {
                { 0x11, VEC_PIC_BASE, 0x04, 0x01 },     /* master: slave on IRQ 2 */
                { 0x11, VEC_PIC_BASE + 8, 0x02, 0x01 },
        };

        for (unsigned i = 0; i < 4; i++) {
                outb(i ? 0x21 : 0x20, init[0][i]);
                outb(i ? 0xa1 : 0xa0, init[1][i]);
        }
        outb(0x21, 0xff);
        outb(0xa1, 0xff);
}

static void lapic_enable(void)
{
        uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

        if (arch_feat.x2apic)
                base |= APIC_BASE_X2;
        wrmsr(MSR_APIC_BASE, base);
        lapic_mmio = arch_phys(base & 0xffffff000ull);
        lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
        lapic_write(LAPIC_TPR, 0);
        bsp_apic_id = arch_feat.x2apic ? lapic_read(LAPIC_ID) : lapic_read(LAPIC_ID) >> 24;
}

/* CPUID 0x15 (TSC/crystal ratio and the crystal's rate; the crystal from
 * 0x16's base MHz when 0x15 leaves it out, as Intel documents) is exact
 * where the CPU gives it: it replaces the PIT's figure then. */
static void tsc_from_cpuid(void)
{
        uint32_t r[4], base[4];
        uint64_t crystal_hz;

        cpuid(0, 0, r);
        if (r[0] < 0x15)
                return;
        cpuid(0x15, 0, r);
        if (!r[0] || !r[1])
                return;
        crystal_hz = r[2];
        if (!crystal_hz && r[0] >= 1) {
                cpuid(0, 0, base);
                if (base[0] >= 0x16) {
                        cpuid(0x16, 0, base);
                        crystal_hz = (uint64_t)(base[0] & 0xffff) * 1000000u * r[0] / r[1];
                }
        }
        if (crystal_hz)
                arch_tsc_khz = crystal_hz * r[1] / r[0] / 1000u;
}

/* One PIT channel 2 countdown of 1/CALIBRATE_DIV ms, timing the TSC and the
 * local APIC timer (divide by 16) across it: false if the PIT never ran
 * out. */
static bool pit_countdown(uint32_t count, uint64_t *tsc_ticks, uint32_t *apic_ticks)
{
        uint64_t tsc0, tsc1;
        uint32_t apic0, apic1;
        uint8_t gate = (uint8_t)((inb(0x61) & ~0x02) | 0x01);

        outb(0x61, gate & ~0x01);
        outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
        outb(0x42, (uint8_t)count);
        outb(0x42, (uint8_t)(count >> 8));
        lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
        outb(0x61, gate);                       /* the gate starts the count */
        tsc0 = rdtsc();
        apic0 = lapic_read(LAPIC_TIMER_CUR);
        for (unsigned spin = 0; !(inb(0x61) & 0x20); spin++)
                if (spin == 10000000u)
                        break;
        tsc1 = rdtsc();
        apic1 = lapic_read(LAPIC_TIMER_CUR);
        lapic_write(LAPIC_TIMER_INIT, 0);
        *tsc_ticks = tsc1 - tsc0;
        *apic_ticks = apic0 - apic1;
        return inb(0x61) & 0x20;
}

/* The shortest of CALIBRATE_RUNS countdowns: a delay (an emulator's
 * thread preempted, an SMI) only ever lengthens one, by seeing the PIT's
 * end late. */
void arch_timer_calibrate(void)
{
        uint32_t count = PIT_HZ / 1000 / CALIBRATE_DIV, apic_ticks = 0, a;
        uint64_t tsc_ticks = ~0ull, t;

        lapic_enable();
        lapic_write(LAPIC_TIMER_DIV, 0x3);
        lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
        for (unsigned run = 0; run < CALIBRATE_RUNS; run++) {
                if (!pit_countdown(count, &t, &a)) {   /* no PIT: guess, but boot */
                        arch_log("timer: PIT channel 2 never ran out; guessing");
                        t = 1000000 / CALIBRATE_DIV;
                        a = 100000 / CALIBRATE_DIV;
                }
                if (t < tsc_ticks) {
                        tsc_ticks = t;
                        apic_ticks = a;
                }
        }
        /* The count's own length, not 1/CALIBRATE_DIV ms: 298 ticks are 0.1 %
         * short of a quarter ms. */
        arch_tsc_khz = tsc_ticks * PIT_HZ / ((uint64_t)count * 1000u);
        lapic_ticks_per_ms = apic_ticks * CALIBRATE_DIV;
        tsc_from_cpuid();
        if (!arch_tsc_khz)
                arch_tsc_khz = 1;
        arch_log("timer: TSC %lu kHz, local APIC timer %u ticks/ms (x2APIC %s)",
                 arch_tsc_khz, lapic_ticks_per_ms, arch_feat.x2apic ? "yes" : "no");
        arch_log("tsc %lu kHz", arch_tsc_khz);
}

/* The core's timer_set: one interrupt at TSC at (UINT64_MAX: none). In
 * TSC-deadline mode a time already passed fires at once; in one-shot mode
 * the count is rounded up (never early but by the clamp, after which the
 * core arms again). */
void arch_timer_set(uint64_t at)
{
        uint64_t now, d, ticks;

        if (tsc_deadline) {
                wrmsr(MSR_TSC_DEADLINE, at == UINT64_MAX ? 0 : at);
                return;
        }
        if (at == UINT64_MAX) {
                lapic_write(LAPIC_TIMER_INIT, 0);
                return;
        }
        now = rdtsc();
        d = at > now ? at - now : 0;
        if (d > ONE_SHOT_MAX_TSC)
                d = ONE_SHOT_MAX_TSC;
        ticks = d * lapic_ticks_per_ms / arch_tsc_khz + 1;
        lapic_write(LAPIC_TIMER_INIT, ticks > 0xffffffffu ? 0xffffffffu : (uint32_t)ticks);
}

/* The local APIC's timer in the mode the core's deadlines want, the
 * first tick armed: from here on the timer interrupts only when the core
 * asks (deadline.c), so an idle CPU with nothing due sleeps in HLT. */
void arch_lapic_init(void)
{
        uint32_t r[4];

        cpuid(1, 0, r);
        tsc_deadline = r[2] & CPUID1_TSC_DEADLINE;
        lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
        lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
        lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
        lapic_write(LAPIC_TIMER_DIV, 0x3);
        lapic_write(LAPIC_TIMER_INIT, 0);
        lapic_write(LAPIC_LVT_TIMER, (tsc_deadline ? LVT_TSC_DEADLINE : 0) | VEC_TIMER);
        __asm__ volatile("mfence" ::: "memory");  /* the LVT write before the first deadline */
        if (!lapic_ticks_per_ms)
                lapic_ticks_per_ms = 100000;
        arch_log("timer: %s, tick %u ms", tsc_deadline ? "TSC-deadline" : "one-shot", TICK_MS);
        arch_k.tick_period = arch_tsc_khz * TICK_MS;
        mk_timer_start(&arch_k);
}

void arch_lapic_eoi(void)
{
        lapic_write(LAPIC_EOI, 0);
}

static uint32_t ioapic_read(unsigned reg)
{
        ioapic[0] = reg;
        return ioapic[4];
}

static void ioapic_write(unsigned reg, uint32_t v)
{
        ioapic[0] = reg;
        ioapic[4] = v;
}

/* The redirection entry of MK IRQ irq: ISA IRQs through the MADT's
 * overrides (polarity and trigger from its MPS flags, ISA defaults
 * otherwise), the rest as PCI lines (level, active low). */
void arch_irq_set_masked(unsigned irq, int masked)
{
        unsigned gsi = irq < 16 ? madt.gsi_of_isa[irq] : irq, flags, pin;
        uint32_t lo = VEC_IRQ_BASE + irq;

        if (!ioapic || irq >= MK_IRQ_COUNT || gsi < madt.ioapic_gsi_base)
                return;
        pin = gsi - madt.ioapic_gsi_base;
        if (pin >= ioapic_pins)
                return;
        flags = irq < 16 ? madt.flags_of_isa[irq] : 0xf;
        if ((flags & 3) == 3)
                lo |= 1u << 13;                 /* active low */
        if ((flags >> 2 & 3) == 3)
                lo |= 1u << 15;                 /* level triggered */
        if (masked)
                lo |= 1u << 16;
        ioapic_write(0x11 + 2 * pin, bsp_apic_id << 24);
        ioapic_write(0x10 + 2 * pin, lo);
}

void arch_ioapic_init(const struct arch_madt *m)
{
        madt = *m;
        ioapic = arch_phys(m->ioapic_base);
        ioapic_pins = ((ioapic_read(1) >> 16) & 0xff) + 1;
        for (unsigned pin = 0; pin < ioapic_pins; pin++) {
                ioapic_write(0x11 + 2 * pin, 0);
                ioapic_write(0x10 + 2 * pin, 1u << 16);
        }
        arch_log("ioapic: %u inputs from GSI %u, all masked", ioapic_pins, madt.ioapic_gsi_base);
}
