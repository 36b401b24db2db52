/* kernel/kvmm/irq.c: the guest's interrupt inputs, the one way device
 * code raises an interrupt: a line on the I/O APIC by GSI (COM1 on 4,
 * what the DSDT and the MADT's ISA defaults say) or a message-signalled
 * interrupt (an MSI or MSI-X table entry's address and data). Both end in
 * the local APIC model's IRR; run.c injects from there. The level EOIs
 * the local APIC saw go back to the I/O APIC before each VMEnter. All of
 * it runs on the VCPU thread only (the models have no locks). */
#include "kvmm.h"

void kvmm_irq_line(struct kvmm *v, unsigned gsi, bool level)
{
        if (gsi >= IOAPIC_PINS) {
                v->refused_irqs++;
                return;
        }
        vmm_ioapic_set_irq(&v->ioapic, gsi, level, &v->apic);
}

int kvmm_msi(struct kvmm *v, uint64_t address, uint32_t data)
{
        int r = vmm_apic_msi(&v->apic, address, data);

        if (r < 0)
                v->refused_irqs++;
        return r;
}

void kvmm_irq_sync(struct kvmm *v)
{
        int vec;

        while ((vec = vmm_apic_take_eoi(&v->apic)) >= 0)
                vmm_ioapic_eoi(&v->ioapic, (uint8_t)vec, &v->apic);
}
