/* kernel/vmm/ioapic.h: the guest's I/O APIC, version 0x20 (with the EOI
 * register), 24 input pins, its register page at 0xFEC00000 reached
 * through nested-page-fault-decoded MMIO. Device models raise and lower
 * input lines; an unmasked pin becomes a vector in the local APIC model
 * (apic.h). One CPU: a redirection entry reaches it when its destination
 * names its APIC ID (physical), its bit (logical, flat) or everyone. */
#ifndef THATTE_KVMM_IOAPIC_H
#define THATTE_KVMM_IOAPIC_H

#include "apic.h"

#define IOAPIC_BASE 0xfec00000u
#define IOAPIC_PAGE 0x1000u
#define IOAPIC_PINS 24
#define IOAPIC_VERSION 0x20

struct vmm_ioapic {
        uint32_t id;            /* IOAPIC ID, bits 27:24 of register 0 */
        uint32_t sel;           /* IOREGSEL */
        uint64_t redir[IOAPIC_PINS];
        uint32_t lines;         /* asserted input lines, one bit a pin */
        uint64_t delivered;     /* interrupts passed to the local APIC */
        uint64_t refused;       /* not fixed/lowest-priority, vector < 16, or not for this CPU */
        uint64_t bad_access;    /* MMIO of the wrong width or offset */
};

/* At reset: every pin masked, edge, vector 0. */
void vmm_ioapic_init(struct vmm_ioapic *io, uint8_t id);

/* One MMIO access at offset (from IOAPIC_BASE) of size 1, 2, 4 or 8
 * bytes. The registers take aligned 32-bit accesses only: any other
 * reads as 0 and writes nothing (counted in bad_access). -VMM_ENOENT for
 * offsets outside the page (not the I/O APIC's). A write may deliver an
 * interrupt (an unmasked level pin still asserted) into apic. */
int vmm_ioapic_read(struct vmm_ioapic *io, uint64_t offset, unsigned size, uint64_t *value);
int vmm_ioapic_write(struct vmm_ioapic *io, uint64_t offset, unsigned size, uint64_t value,
                     struct vmm_apic *apic);

/* A device's input line: asserted or not. Edge pins fire on assertion,
 * level pins while asserted and Remote IRR clear. Pins ≥ 24 are ignored.
 * Polarity is recorded for the guest but lines are given as asserted,
 * not as a voltage. */
void vmm_ioapic_set_irq(struct vmm_ioapic *io, unsigned pin, bool asserted, struct vmm_apic *apic);

/* The local APIC's EOI broadcast of a level-triggered vector
 * (vmm_apic_take_eoi): Remote IRR clears on pins with that vector, and a
 * line still asserted fires again. */
void vmm_ioapic_eoi(struct vmm_ioapic *io, uint8_t vector, struct vmm_apic *apic);

#endif
