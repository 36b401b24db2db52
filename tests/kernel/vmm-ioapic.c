/* tests/kernel/vmm-ioapic.c: kernel/vmm's I/O APIC: the registers Linux
 * reads and programs through IOREGSEL/IOWIN, edge and level pins reaching
 * the local APIC model as vectors, masks, Remote IRR and the EOI
 * broadcast (local APIC EOI and the EOI register), destinations; then
 * hostile MMIO: every offset and width with garbage, redirection entries
 * with reserved bits and illegal delivery modes or vectors. */
#include <stdlib.h>

#include "tests/tap.h"
#include "ioapic.h"

static uint32_t
rd(struct vmm_ioapic *io, uint32_t reg)
{
        uint64_t v = 0xdead;

        vmm_ioapic_write(io, 0, 4, reg, NULL);
        vmm_ioapic_read(io, 0x10, 4, &v);
        return (uint32_t)v;
}

static void
wr(struct vmm_ioapic *io, uint32_t reg, uint32_t v, struct vmm_apic *a)
{
        vmm_ioapic_write(io, 0, 4, reg, a);
        vmm_ioapic_write(io, 0x10, 4, v, a);
}

static void
redir(struct vmm_ioapic *io, unsigned pin, uint64_t e, struct vmm_apic *a)
{
        wr(io, 0x11 + 2 * pin, (uint32_t)(e >> 32), a);
        wr(io, 0x10 + 2 * pin, (uint32_t)e, a);
}

static void
setup(struct vmm_ioapic *io, struct vmm_apic *a)
{
        vmm_apic_init(a, 0, true);
        vmm_apic_wrmsr(a, 0x80f, 0x1ff);        /* APIC software-enabled */
        vmm_ioapic_init(io, 1);
}

/* The guest takes the interrupt and EOIs it; returns the vector or -1. */
static int
take_and_eoi(struct vmm_ioapic *io, struct vmm_apic *a)
{
        int v = vmm_apic_pending(a), lv;

        if (v < 0)
                return -1;
        vmm_apic_accept(a, (uint8_t)v);
        vmm_apic_wrmsr(a, 0x80b, 0);
        while ((lv = vmm_apic_take_eoi(a)) >= 0)
                vmm_ioapic_eoi(io, (uint8_t)lv, a);
        return v;
}

static void
test_registers(void)
{
        struct vmm_ioapic io;
        struct vmm_apic a;

        setup(&io, &a);
        is_int(rd(&io, 0), 1u << 24, "ID register: ID 1");
        is_int(rd(&io, 1), 0x170020, "version 0x20, 24 entries");
        is_int(rd(&io, 2), 1u << 24, "arbitration ID");
        is_int(rd(&io, 0x10), 0x10000, "pin 0 masked at reset");
        wr(&io, 0, 0xffffffff, &a);
        is_int(rd(&io, 0), 0x0f000000, "ID: only bits 27:24 written");
        wr(&io, 1, 0, &a);
        is_int(rd(&io, 1), 0x170020, "version is read-only");
        wr(&io, 0x10 + 2 * 5, 0xfffeffff, &a);
        is_int(rd(&io, 0x10 + 2 * 5), 0xafff, "reserved, delivery status and Remote IRR bits stay 0");
        wr(&io, 0x11 + 2 * 5, 0xffffffff, &a);
        is_int(rd(&io, 0x11 + 2 * 5), 0xff000000, "high half: only the destination");
        is_int(rd(&io, 0x10 + 2 * 24), 0, "entry 24 does not exist: reads 0");
        is_int(rd(&io, 0x40), 0, "register 0x40: 0");
        uint64_t v;
        vmm_ioapic_write(&io, 0, 4, 0x1234, &a);
        vmm_ioapic_read(&io, 0, 4, &v);
        is_int(v, 0x34, "IOREGSEL keeps 8 bits");
        is_int(vmm_ioapic_read(&io, 0x1000, 4, &v), -VMM_ENOENT, "offset 0x1000 is not the I/O APIC's");
}

static void
test_edge(void)
{
        struct vmm_ioapic io;
        struct vmm_apic a;

        setup(&io, &a);
        vmm_ioapic_set_irq(&io, 4, true, &a);
        vmm_ioapic_set_irq(&io, 4, false, &a);
        is_int(vmm_apic_pending(&a), -1, "masked pin: nothing");
        redir(&io, 4, 0x34, &a);        /* vector 0x34, edge, physical dest 0 */
        is_int(vmm_apic_pending(&a), -1, "an edge lost while masked stays lost");
        vmm_ioapic_set_irq(&io, 4, true, &a);
        is_int(vmm_apic_pending(&a), 0x34, "rising edge: vector 0x34");
        vmm_ioapic_set_irq(&io, 4, true, &a);
        is_int(io.delivered, 1, "a line held high is one edge");
        is_int(take_and_eoi(&io, &a), 0x34, "taken");
        is_int(vmm_apic_take_eoi(&a), -1, "an edge vector's EOI is not broadcast");
        vmm_ioapic_set_irq(&io, 4, false, &a);
        vmm_ioapic_set_irq(&io, 4, true, &a);
        is_int(vmm_apic_pending(&a), 0x34, "the next edge fires again");
}

static void
test_level(void)
{
        struct vmm_ioapic io;
        struct vmm_apic a;

        setup(&io, &a);
        redir(&io, 10, 0x51 | 1u << 15 | 1u << 13, &a);  /* level, active low */
        vmm_ioapic_set_irq(&io, 10, true, &a);
        is_int(vmm_apic_pending(&a), 0x51, "level pin asserted: vector 0x51");
        ok(rd(&io, 0x10 + 20) & (1u << 14), "Remote IRR set");
        vmm_apic_accept(&a, 0x51);
        vmm_ioapic_set_irq(&io, 10, true, &a);
        is_int(io.delivered, 1, "Remote IRR holds the next one back");
        vmm_apic_wrmsr(&a, 0x80b, 0);
        int lv = vmm_apic_take_eoi(&a);
        is_int(lv, 0x51, "the local APIC reports the level vector's EOI");
        vmm_ioapic_eoi(&io, (uint8_t)lv, &a);
        is_int(vmm_apic_pending(&a), 0x51, "still asserted after EOI: fires again");
        vmm_apic_accept(&a, 0x51);
        vmm_ioapic_set_irq(&io, 10, false, &a);
        vmm_apic_wrmsr(&a, 0x80b, 0);
        vmm_ioapic_eoi(&io, (uint8_t)vmm_apic_take_eoi(&a), &a);
        is_int(vmm_apic_pending(&a), -1, "deasserted before EOI: quiet");
        ok(!(rd(&io, 0x10 + 20) & (1u << 14)), "Remote IRR clear");
        /* The version 0x20 EOI register does the same. */
        vmm_ioapic_set_irq(&io, 10, true, &a);
        vmm_apic_accept(&a, 0x51);
        vmm_ioapic_set_irq(&io, 10, false, &a);
        vmm_ioapic_write(&io, 0x40, 4, 0x51, &a);
        ok(!(rd(&io, 0x10 + 20) & (1u << 14)), "EOI register clears Remote IRR");
        /* Masked while asserted, then unmasked: fires. */
        redir(&io, 11, 0x61 | 1u << 15 | 1u << 16, &a);
        vmm_ioapic_set_irq(&io, 11, true, &a);
        is_int(vmm_apic_pending(&a), -1, "level pin masked: nothing");
        redir(&io, 11, 0x61 | 1u << 15, &a);
        is_int(vmm_apic_pending(&a), 0x61, "unmasked while asserted: fires");
}

static void
test_destinations(void)
{
        struct vmm_ioapic io;
        struct vmm_apic a;

        setup(&io, &a);
        redir(&io, 1, 0x40 | 5ull << 56, &a);            /* physical dest 5: another CPU */
        vmm_ioapic_set_irq(&io, 1, true, &a);
        ok(vmm_apic_pending(&a) == -1 && io.refused == 1, "physical destination 5: refused");
        redir(&io, 2, 0x41 | 1u << 11 | 1ull << 56, &a); /* logical, bit 0: us */
        vmm_ioapic_set_irq(&io, 2, true, &a);
        is_int(vmm_apic_pending(&a), 0x41, "logical destination naming us");
        redir(&io, 3, 0x42 | 0xffull << 56, &a);
        vmm_ioapic_set_irq(&io, 3, true, &a);
        ok(a.irr[0x42 / 32] & (1u << (0x42 % 32)), "broadcast destination");
        redir(&io, 6, 0x43 | 4u << 8, &a);               /* NMI delivery */
        vmm_ioapic_set_irq(&io, 6, true, &a);
        is_int(io.refused, 2, "NMI delivery mode: refused");
        redir(&io, 7, 0x05, &a);                         /* vector 5 */
        vmm_ioapic_set_irq(&io, 7, true, &a);
        is_int(io.refused, 3, "vector below 16: refused");
        redir(&io, 8, 0x44 | 7u << 8, &a);               /* ExtINT */
        vmm_ioapic_set_irq(&io, 8, true, &a);
        is_int(io.refused, 4, "ExtINT: refused");
        vmm_ioapic_set_irq(&io, 24, true, &a);
        vmm_ioapic_set_irq(&io, 0xffffffffu, true, &a);
        is_int(io.lines, 1u << 1 | 1u << 2 | 1u << 3 | 1u << 6 | 1u << 7 | 1u << 8, "pins ≥ 24 ignored");
}

static void
test_hostile(void)
{
        struct vmm_ioapic io;
        struct vmm_apic a;
        static const unsigned sizes[] = { 1, 2, 4, 8, 3, 0, 16 };
        int bad = 0;

        setup(&io, &a);
        srand(18);
        for (uint64_t off = 0; off < 0x1100; off++)
                for (unsigned s = 0; s < 7; s++) {
                        uint64_t v = (uint64_t)rand() << 32 ^ (uint64_t)rand(), got = 0x5a5a;
                        int r = vmm_ioapic_write(&io, off, sizes[s], v, &a);
                        if (rand() % 3 == 0)
                                vmm_ioapic_set_irq(&io, (unsigned)rand() % 32, rand() & 1, &a);
                        int r2 = vmm_ioapic_read(&io, off, sizes[s], &got);
                        if (off < 0x1000 ? (r || r2 || got > 0xffffffffu) : (r != -VMM_ENOENT || r2 != -VMM_ENOENT))
                                bad++;
                        for (int k = 0; k < 4 && take_and_eoi(&io, &a) >= 0; k++)
                                ;       /* a level pin held high fires again each EOI */
                }
        is_int(bad, 0, "garbage at every offset and width: done or not ours, values within 32 bits");
        ok(io.bad_access > 0, "wrong widths and offsets counted (%llu)", (unsigned long long)io.bad_access);
        int reserved = 0;
        for (unsigned pin = 0; pin < IOAPIC_PINS; pin++)
                reserved += (io.redir[pin] & 0x00fffffffffe1000ull & ~(1ull << 14)) != 0;
        is_int(reserved, 0, "no entry holds a reserved or delivery-status bit");
        uint64_t v;
        is_int(vmm_ioapic_read(&io, ~0ull, 4, &v), -VMM_ENOENT, "offset 2^64-1: not ours");
}

int
main(void)
{
        test_registers();
        test_edge();
        test_level();
        test_destinations();
        test_hostile();
        return tap_done();
}
