/* kernel/vmm/ioapic.c: the I/O APIC model (see ioapic.h). Register
 * numbers and redirection-entry bits are those of Intel's 82093AA data
 * sheet; version 0x20 adds the EOI register at offset 0x40. */
#include "ioapic.h"

#define OFF_IOREGSEL 0x00
#define OFF_IOWIN 0x10
#define OFF_EOI 0x40
#define REG_ID 0x00
#define REG_VERSION 0x01
#define REG_ARB 0x02
#define REG_REDIR 0x10
#define ID_MASK 0x0f000000u

#define RE_VECTOR 0xffull
#define RE_DELMODE(e) (((e) >> 8) & 7)
#define RE_LOGICAL (1ull << 11)
#define RE_REMOTE_IRR (1ull << 14)
#define RE_LEVEL (1ull << 15)
#define RE_MASKED (1ull << 16)
#define RE_DEST(e) ((uint32_t)((e) >> 56))
/* Writable: vector, delivery mode, destination mode, polarity, trigger
 * mode, mask, destination. Delivery status and Remote IRR are read-only;
 * reserved bits read 0. */
#define RE_WRITABLE (0xffull | 7ull << 8 | 1ull << 11 | 1ull << 13 | RE_LEVEL | RE_MASKED | 0xffull << 56)

void
vmm_ioapic_init(struct vmm_ioapic *io, uint8_t id)
{
        __builtin_memset(io, 0, sizeof(*io));
        io->id = (uint32_t)(id & 0xf) << 24;
        for (int i = 0; i < IOAPIC_PINS; i++)
                io->redir[i] = RE_MASKED;
}

static bool
for_this_cpu(uint64_t e, const struct vmm_apic *apic)
{
        uint32_t dest = RE_DEST(e);

        if (dest == 0xff)
                return true;
        if (e & RE_LOGICAL)
                return apic->id < 8 && (dest & (1u << apic->id));
        return dest == apic->id;
}

/* Fires pin if its entry lets it: unmasked, and for a level pin the line
 * asserted and no interrupt of it still in service. */
static void
fire(struct vmm_ioapic *io, unsigned pin, struct vmm_apic *apic)
{
        uint64_t *e = &io->redir[pin];
        uint8_t vector = (uint8_t)(*e & RE_VECTOR);
        int r;

        if (*e & RE_MASKED || ((*e & RE_LEVEL) && (*e & RE_REMOTE_IRR)))
                return;
        if (RE_DELMODE(*e) > 1 || !for_this_cpu(*e, apic)) {
                io->refused++;          /* SMI, NMI, INIT, ExtINT; or another CPU */
                return;
        }
        r = *e & RE_LEVEL ? vmm_apic_raise_level(apic, vector) : vmm_apic_raise(apic, vector);
        if (r) {
                io->refused++;          /* vectors 0-15 are illegal */
                return;
        }
        io->delivered++;
        if (*e & RE_LEVEL)
                *e |= RE_REMOTE_IRR;
}

void
vmm_ioapic_set_irq(struct vmm_ioapic *io, unsigned pin, bool asserted, struct vmm_apic *apic)
{
        uint32_t bit;
        bool was;

        if (pin >= IOAPIC_PINS)
                return;
        bit = 1u << pin;
        was = io->lines & bit;
        io->lines = asserted ? io->lines | bit : io->lines & ~bit;
        if (asserted && (!was || (io->redir[pin] & RE_LEVEL)))
                fire(io, pin, apic);
}

void
vmm_ioapic_eoi(struct vmm_ioapic *io, uint8_t vector, struct vmm_apic *apic)
{
        for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
                uint64_t *e = &io->redir[pin];

                if ((*e & RE_VECTOR) != vector || !(*e & RE_REMOTE_IRR))
                        continue;
                *e &= ~RE_REMOTE_IRR;
                if (io->lines & (1u << pin))
                        fire(io, pin, apic);
        }
}

static uint32_t
read_reg(const struct vmm_ioapic *io, uint32_t reg)
{
        unsigned pin = (reg - REG_REDIR) / 2;

        switch (reg) {
        case REG_ID: return io->id;
        case REG_VERSION: return (IOAPIC_PINS - 1) << 16 | IOAPIC_VERSION;
        case REG_ARB: return io->id;
        }
        if (reg < REG_REDIR || pin >= IOAPIC_PINS)
                return 0;
        return (uint32_t)(io->redir[pin] >> (reg & 1 ? 32 : 0));
}

static void
write_reg(struct vmm_ioapic *io, uint32_t reg, uint32_t v, struct vmm_apic *apic)
{
        unsigned pin = (reg - REG_REDIR) / 2;
        uint64_t old, e;

        if (reg == REG_ID)
                io->id = v & ID_MASK;
        if (reg < REG_REDIR || pin >= IOAPIC_PINS)
                return;                 /* version, arbitration, reserved: read-only */
        old = io->redir[pin];
        e = reg & 1 ? (old & 0xffffffffull) | (uint64_t)v << 32 : (old & ~0xffffffffull) | v;
        e = (e & RE_WRITABLE) | (old & RE_REMOTE_IRR);
        if (!(e & RE_LEVEL))
                e &= ~RE_REMOTE_IRR;    /* an edge pin has nothing in service */
        io->redir[pin] = e;
        if ((e & RE_LEVEL) && (io->lines & (1u << pin)))
                fire(io, pin, apic);    /* unmasked while asserted */
}

static bool
register_access(struct vmm_ioapic *io, uint64_t offset, unsigned size)
{
        if (size == 4 && (offset == OFF_IOREGSEL || offset == OFF_IOWIN || offset == OFF_EOI))
                return true;
        io->bad_access++;
        return false;
}

int
vmm_ioapic_read(struct vmm_ioapic *io, uint64_t offset, unsigned size, uint64_t *value)
{
        if (offset >= IOAPIC_PAGE)
                return -VMM_ENOENT;
        *value = 0;
        if (!register_access(io, offset, size))
                return 0;
        if (offset == OFF_IOREGSEL)
                *value = io->sel;
        else if (offset == OFF_IOWIN)
                *value = read_reg(io, io->sel);
        return 0;                       /* the EOI register is write-only */
}

int
vmm_ioapic_write(struct vmm_ioapic *io, uint64_t offset, unsigned size, uint64_t value,
                 struct vmm_apic *apic)
{
        if (offset >= IOAPIC_PAGE)
                return -VMM_ENOENT;
        if (!register_access(io, offset, size))
                return 0;
        if (offset == OFF_IOREGSEL)
                io->sel = (uint32_t)value & 0xff;
        else if (offset == OFF_IOWIN)
                write_reg(io, io->sel, (uint32_t)value, apic);
        else
                vmm_ioapic_eoi(io, (uint8_t)value, apic);
        return 0;
}
