/* kernel/vmm/apic.c: the x2APIC model (see apic.h). Register numbers are
 * the xAPIC offsets / 16 above MSR 0x800; reserved bits written cause
 * #GP, as x2APIC mode specifies. */
#include "apic.h"

enum {
        R_ID = 0x02, R_VERSION = 0x03, R_TPR = 0x08, R_PPR = 0x0a, R_EOI = 0x0b, R_LDR = 0x0d,
        R_SVR = 0x0f, R_ISR = 0x10, R_TMR = 0x18, R_IRR = 0x20, R_ESR = 0x28, R_CMCI = 0x2f,
        R_ICR = 0x30, R_LVT_TIMER = 0x32, R_LVT_ERROR = 0x37, R_INIT_COUNT = 0x38,
        R_CUR_COUNT = 0x39, R_DIVIDE = 0x3e, R_SELF_IPI = 0x3f, R_DFR = 0x0e,
};
#define LVT_MASKED (1u << 16)
#define TIMER_MODE(lvt) (((lvt) >> 17) & 3)
#define TIMER_TSC_DEADLINE 2
#define SVR_ENABLE (1u << 8)
#define ESR_SEND_ILLEGAL 0x20
/* Writable bits per LVT: vector, delivery mode, polarity, trigger, mask, timer mode. */
static const uint32_t lvt_bits[LVT_COUNT] = { 0x107ff, 0x700ff, 0x107ff, 0x107ff, 0x1a7ff,
                                              0x1a7ff, 0x100ff };

static void
reset(struct vmm_apic *a)
{
        for (int i = 0; i < 8; i++)
                a->irr[i] = a->isr[i] = a->tmr[i] = a->eoi_level[i] = 0;
        for (int i = 0; i < LVT_COUNT; i++)
                a->lvt[i] = LVT_MASKED;
        a->tpr = a->esr = a->init_count = a->divide = 0;
        a->svr = 0xff;
        a->icr = a->deadline = 0;
        a->ldr = a->icr_high = 0;
        a->dfr = 0xffffffffu;
}

void
vmm_apic_init(struct vmm_apic *a, uint32_t id, bool x2apic)
{
        __builtin_memset(a, 0, sizeof(*a));
        a->id = id;
        a->base = APIC_BASE_DEFAULT | APIC_BASE_BSP | APIC_BASE_EN | (x2apic ? APIC_BASE_EXTD : 0);
        reset(a);
}

static bool
x2apic_on(const struct vmm_apic *a)
{
        return (a->base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

static int
highest(const uint32_t *bits)
{
        for (int w = 7; w >= 0; w--)
                if (bits[w])
                        return w * 32 + 31 - __builtin_clz(bits[w]);
        return -1;
}

static void
set_bit(uint32_t *bits, unsigned v) { bits[v / 32] |= 1u << (v % 32); }
static void
clear_bit(uint32_t *bits, unsigned v) { bits[v / 32] &= ~(1u << (v % 32)); }

static uint32_t
ppr(const struct vmm_apic *a)
{
        int isr = highest(a->isr);
        uint32_t isrv = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

        return (a->tpr & 0xf0) >= isrv ? a->tpr : isrv;
}

/* IA32_APIC_BASE: only the architectural mode changes; the base stays. */
static int
write_base(struct vmm_apic *a, uint64_t v)
{
        uint64_t mode = v & (APIC_BASE_EN | APIC_BASE_EXTD), old = a->base & (APIC_BASE_EN | APIC_BASE_EXTD);

        if ((v & ~(uint64_t)(APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP)) != APIC_BASE_DEFAULT ||
            (v & APIC_BASE_BSP) != (a->base & APIC_BASE_BSP) || mode == APIC_BASE_EXTD)
                return -VMM_EINVAL;
        /* x2APIC to xAPIC and disabled to x2APIC are invalid transitions. */
        if ((old == (APIC_BASE_EN | APIC_BASE_EXTD) && mode == APIC_BASE_EN) ||
            (old == 0 && mode == (APIC_BASE_EN | APIC_BASE_EXTD)))
                return -VMM_EINVAL;
        if (!mode)
                reset(a);
        a->base = v;
        return 0;
}

static int read_reg(const struct vmm_apic *a, unsigned r, uint64_t *val);

int
vmm_apic_rdmsr(struct vmm_apic *a, uint32_t msr, uint64_t *val)
{
        if (msr == MSR_APIC_BASE) {
                *val = a->base;
                return 0;
        }
        if (msr == MSR_TSC_DEADLINE) {
                *val = TIMER_MODE(a->lvt[LVT_TIMER]) == TIMER_TSC_DEADLINE ? a->deadline : 0;
                return 0;
        }
        if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST)
                return -VMM_ENOENT;
        if (!x2apic_on(a))
                return -VMM_EINVAL;
        return read_reg(a, msr - MSR_X2APIC_FIRST, val);
}

/* Register r (the xAPIC offset / 16) as x2APIC mode reads it. */
static int
read_reg(const struct vmm_apic *a, unsigned r, uint64_t *val)
{
        if (r >= R_ISR && r < R_ISR + 8)
                *val = a->isr[r - R_ISR];
        else if (r >= R_TMR && r < R_TMR + 8)
                *val = a->tmr[r - R_TMR];
        else if (r >= R_IRR && r < R_IRR + 8)
                *val = a->irr[r - R_IRR];
        else if (r >= R_LVT_TIMER && r <= R_LVT_ERROR)
                *val = a->lvt[LVT_TIMER + r - R_LVT_TIMER];
        else switch (r) {
        case R_ID: *val = a->id; break;
        case R_VERSION: *val = 0x00060014; break;       /* 7 LVT entries, integrated APIC */
        case R_TPR: *val = a->tpr; break;
        case R_PPR: *val = ppr(a); break;
        case R_LDR: *val = (a->id >> 4) << 16 | 1u << (a->id & 0xf); break;
        case R_SVR: *val = a->svr; break;
        case R_ESR: *val = a->esr; break;
        case R_CMCI: *val = a->lvt[LVT_CMCI]; break;
        case R_ICR: *val = a->icr; break;
        case R_INIT_COUNT: *val = a->init_count; break;
        case R_CUR_COUNT: *val = 0; break;
        case R_DIVIDE: *val = a->divide; break;
        default: return -VMM_EINVAL;    /* EOI and SELF_IPI are write-only */
        }
        return 0;
}

/* Whether an ICR destination (no shorthand) names this CPU: physical by
 * its ID or the broadcast ID; logical by its LDR bit (x2APIC: cluster and
 * bit; xAPIC: the flat model, the one DFR Linux writes here). Linux sends
 * itself IPIs this way (an I/O APIC interrupt resent after a lazy disable). */
static bool
names_me(const struct vmm_apic *a, uint32_t lo, uint32_t dest)
{
        bool x2 = a->base & APIC_BASE_EXTD;

        if (!(lo & (1u << 11)))
                return dest == a->id || dest == (x2 ? 0xffffffffu : 0xffu);
        if (x2)
                return (dest >> 16) == (a->id >> 4) && (dest & 0xffff & 1u << (a->id & 0xf));
        return dest & (a->ldr >> 24);
}

/* An IPI: only fixed interrupts to this CPU are delivered. */
static int
write_icr(struct vmm_apic *a, uint64_t v)
{
        uint32_t lo = (uint32_t)v, shorthand = (lo >> 18) & 3, vector = lo & 0xff;
        bool to_self = shorthand == 1 || shorthand == 2 ||
                       (shorthand == 0 && names_me(a, lo, (uint32_t)(v >> 32)));

        if (lo & 0xfff33000u)
                return -VMM_EINVAL;
        a->icr = v;
        if (((lo >> 8) & 7) != 0 || !to_self) {
                a->refused_ipis++;      /* no other CPU to reach; no NMI, INIT, SIPI */
                return 0;
        }
        if (vector < 16)
                a->esr |= ESR_SEND_ILLEGAL;
        else
                set_bit(a->irr, vector);
        return 0;
}

static int
write_lvt(struct vmm_apic *a, int i, uint64_t v)
{
        if (v & ~(uint64_t)lvt_bits[i] || (i == LVT_TIMER && TIMER_MODE(v) == 3))
                return -VMM_EINVAL;
        if (!(a->svr & SVR_ENABLE))
                v |= LVT_MASKED;        /* a software-disabled APIC keeps them masked */
        if (i == LVT_TIMER && TIMER_MODE(v) != TIMER_MODE(a->lvt[i]))
                a->deadline = 0;        /* a mode change disarms the timer */
        a->lvt[i] = (uint32_t)v;
        return 0;
}

static int
write_reg(struct vmm_apic *a, unsigned r, uint64_t v)
{
        if (r == R_ICR)
                return write_icr(a, v);
        if (v >> 32)
                return -VMM_EINVAL;
        if (r >= R_LVT_TIMER && r <= R_LVT_ERROR)
                return write_lvt(a, LVT_TIMER + (int)(r - R_LVT_TIMER), v);
        switch (r) {
        case R_TPR:
                if (v & ~0xffull)
                        return -VMM_EINVAL;
                a->tpr = (uint32_t)v;
                return 0;
        case R_EOI: {
                int top = highest(a->isr);
                if (v)
                        return -VMM_EINVAL;
                if (top >= 0 && (a->tmr[top / 32] & 1u << (top % 32))) {
                        clear_bit(a->tmr, (unsigned)top);
                        set_bit(a->eoi_level, (unsigned)top);
                }
                if (top >= 0)
                        clear_bit(a->isr, (unsigned)top);
                return 0;
        }
        case R_SVR:
                if (v & ~0x1ffull)
                        return -VMM_EINVAL;
                a->svr = (uint32_t)v;
                if (!(v & SVR_ENABLE))
                        for (int i = 0; i < LVT_COUNT; i++)
                                a->lvt[i] |= LVT_MASKED;
                return 0;
        case R_ESR:
                if (v)
                        return -VMM_EINVAL;
                a->esr = 0;
                return 0;
        case R_CMCI: return write_lvt(a, LVT_CMCI, v);
        case R_INIT_COUNT: a->init_count = (uint32_t)v; return 0;
        case R_DIVIDE:
                if (v & ~0xbull)
                        return -VMM_EINVAL;
                a->divide = (uint32_t)v;
                return 0;
        case R_SELF_IPI:
                if (v & ~0xffull)
                        return -VMM_EINVAL;
                return write_icr(a, (v & 0xff) | 1u << 18);
        default: return -VMM_EINVAL;    /* read-only or reserved */
        }
}

int
vmm_apic_wrmsr(struct vmm_apic *a, uint32_t msr, uint64_t val)
{
        if (msr == MSR_APIC_BASE)
                return write_base(a, val);
        if (msr == MSR_TSC_DEADLINE) {
                if (TIMER_MODE(a->lvt[LVT_TIMER]) == TIMER_TSC_DEADLINE)
                        a->deadline = val;
                return 0;               /* ignored in the other modes */
        }
        if (msr < MSR_X2APIC_FIRST || msr > MSR_X2APIC_LAST)
                return -VMM_ENOENT;
        if (!x2apic_on(a))
                return -VMM_EINVAL;
        return write_reg(a, msr - MSR_X2APIC_FIRST, val);
}

uint64_t
vmm_apic_deadline(const struct vmm_apic *a)
{
        uint32_t t = a->lvt[LVT_TIMER];

        if (!(a->base & APIC_BASE_EN) || !(a->svr & SVR_ENABLE) || (t & LVT_MASKED) ||
            TIMER_MODE(t) != TIMER_TSC_DEADLINE)
                return 0;
        return a->deadline;
}

void
vmm_apic_tick(struct vmm_apic *a, uint64_t tsc)
{
        uint64_t d = vmm_apic_deadline(a);

        if (!d || tsc < d)
                return;
        a->deadline = 0;                /* one shot */
        (void)vmm_apic_raise(a, (uint8_t)a->lvt[LVT_TIMER]);
}

int
vmm_apic_raise(struct vmm_apic *a, uint8_t vector)
{
        if (vector < 16)
                return -VMM_EINVAL;
        set_bit(a->irr, vector);
        clear_bit(a->tmr, vector);
        return 0;
}

int
vmm_apic_raise_level(struct vmm_apic *a, uint8_t vector)
{
        int r = vmm_apic_raise(a, vector);

        if (!r)
                set_bit(a->tmr, vector);
        return r;
}

int
vmm_apic_take_eoi(struct vmm_apic *a)
{
        int v = highest(a->eoi_level);

        if (v >= 0)
                clear_bit(a->eoi_level, (unsigned)v);
        return v;
}

int
vmm_apic_pending(const struct vmm_apic *a)
{
        int v = highest(a->irr);

        if (v < 0 || !(a->base & APIC_BASE_EN) || !(a->svr & SVR_ENABLE))
                return -1;
        return ((uint32_t)v & 0xf0) > (ppr(a) & 0xf0) ? v : -1;
}

void
vmm_apic_accept(struct vmm_apic *a, uint8_t vector)
{
        clear_bit(a->irr, vector);
        set_bit(a->isr, vector);
}

/* xAPIC mode (EN without EXTD) through the MMIO page: the same registers,
 * except ID (bits 31:24), a writable LDR and DFR and the ICR in two
 * halves (the write of the low half sends). Accesses other than aligned
 * 32-bit ones of a register, reserved registers and bad values read 0
 * and write nothing, as the page does on hardware; counted. */
static bool
xapic_on(const struct vmm_apic *a)
{
        return (a->base & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN;
}

int
vmm_apic_mmio_read(struct vmm_apic *a, uint64_t offset, unsigned size, uint64_t *value)
{
        unsigned r = (unsigned)(offset >> 4);

        if (offset >= APIC_PAGE)
                return -VMM_ENOENT;
        *value = 0;
        if (!xapic_on(a) || size != 4 || (offset & 0xf)) {
                a->bad_mmio++;
                return 0;
        }
        switch (r) {
        case R_ID: *value = a->id << 24; return 0;
        case R_LDR: *value = a->ldr; return 0;
        case R_DFR: *value = a->dfr; return 0;
        case R_ICR: *value = (uint32_t)a->icr; return 0;
        case R_ICR + 1: *value = a->icr_high; return 0;
        }
        if (read_reg(a, r, value) < 0)
                a->bad_mmio++;
        *value = (uint32_t)*value;
        return 0;
}

int
vmm_apic_mmio_write(struct vmm_apic *a, uint64_t offset, unsigned size, uint64_t value)
{
        unsigned r = (unsigned)(offset >> 4);
        int err = 0;

        if (offset >= APIC_PAGE)
                return -VMM_ENOENT;
        if (!xapic_on(a) || size != 4 || (offset & 0xf)) {
                a->bad_mmio++;
                return 0;
        }
        value = (uint32_t)value;
        switch (r) {
        case R_ID: break;                               /* the one CPU keeps its ID */
        case R_LDR: a->ldr = (uint32_t)value & 0xff000000u; break;
        case R_DFR: a->dfr = (uint32_t)value | 0x0fffffffu; break;
        case R_ICR + 1: a->icr_high = (uint32_t)value & 0xff000000u; break;
        case R_ICR: err = write_reg(a, R_ICR, value | (uint64_t)(a->icr_high >> 24) << 32); break;
        case R_SELF_IPI: err = -VMM_EINVAL; break;      /* x2APIC only */
        default: err = write_reg(a, r, value);
        }
        if (err < 0)
                a->bad_mmio++;
        return 0;
}

int
vmm_apic_msi(struct vmm_apic *a, uint64_t address, uint32_t data)
{
        uint32_t dest = (uint32_t)(address >> 12) & 0xff;
        bool logical = address & 4, for_us = dest == 0xff ||
                (logical ? a->id < 8 && (dest & 1u << a->id) : dest == a->id);

        if ((address & 0xfffffffffff00000ull) != APIC_BASE_DEFAULT || (data >> 8 & 7) > 1 ||
            (data & 0x8000u) || !for_us)
                return -VMM_EINVAL;
        return vmm_apic_raise(a, (uint8_t)data);
}
