/* kernel/kvmm/mmio.c: nested page faults on the pages the VMM emulates
 * (the I/O APIC's at 0xFEC00000, the local APIC's xAPIC page at
 * 0xFEE00000): the instruction at rip is fetched through the guest's page
 * tables (CR0, CR3, CR4 read from the VCPU), decoded by kernel/vmm's
 * mmio.c, and the access goes to the model; rip moves past it. A fault
 * anywhere else, or an instruction the decoder refuses, stops the guest
 * (run.c says why). Another device's registers: one more case in
 * device_access. */
#include "kvmm.h"

static bool in_page(uint64_t gpa, uint64_t base, uint64_t size)
{
        return gpa >= base && gpa - base < size;
}

/* The access m at gpa to the device whose registers are there; m NULL
 * only asks whether one is: 0, or -VMM_ENOENT. */
static int device_access(struct kvmm *v, uint64_t gpa, const struct vmm_mmio_insn *m,
                         uint64_t *value)
{
        if (in_page(gpa, IOAPIC_BASE, IOAPIC_PAGE))
                return !m ? 0 : m->write ? vmm_ioapic_write(&v->ioapic, gpa - IOAPIC_BASE, m->size, *value,
                                                   &v->apic)
                                : vmm_ioapic_read(&v->ioapic, gpa - IOAPIC_BASE, m->size, value);
        if (in_page(gpa, APIC_BASE_DEFAULT, APIC_PAGE))
                return !m ? 0 : m->write ? vmm_apic_mmio_write(&v->apic, gpa - APIC_BASE_DEFAULT, m->size,
                                                      *value)
                                : vmm_apic_mmio_read(&v->apic, gpa - APIC_BASE_DEFAULT, m->size,
                                                     value);
        if (kvmm_chan_owns(gpa))
                return !m ? 0 : kvmm_chan_access(gpa, m->size, m->write, value);
        return -VMM_ENOENT;
}

/* The instruction at the guest's rip: its byte count or -VMM_EFAULT. */
static int fetch(struct kvmm *v, uint8_t *insn)
{
        uint64_t cr[3];
        static const uint64_t field[3] = { MK_VCPU_STATE_CR0, MK_VCPU_STATE_CR3,
                                           MK_VCPU_STATE_CR4 };

        for (unsigned i = 0; i < 3; i++)
                if (mku_vcpu_read_state(KVMM_CAP_VCPU, field[i], &cr[i]) != MK_OK)
                        return -VMM_EFAULT;
        return vmm_guest_fetch((const uint8_t *)KVMM_RAM_VADDR, v->info->ram_size, cr[0], cr[1],
                               cr[2], v->mr[MK_VCPU_MR_RIP], insn, MMIO_INSN_MAX);
}

int kvmm_mmio(struct kvmm *v, uint64_t gpa)
{
        uint8_t insn[MMIO_INSN_MAX];
        struct vmm_mmio_insn m;
        uint64_t value = 0;
        int n, r;

        if (device_access(v, gpa, NULL, NULL) < 0)
                return -VMM_ENOENT;
        n = fetch(v, insn);
        if (n < 0)
                return n;
        r = vmm_mmio_decode(insn, (unsigned)n, &m);
        if (r < 0)
                return r;
        if (m.write)
                value = vmm_mmio_store_value(&m, &v->mr[MK_VCPU_MR_GPR]);
        r = device_access(v, gpa, &m, &value);
        if (r < 0)
                return r;
        if (!m.write)
                vmm_mmio_load_value(&m, &v->mr[MK_VCPU_MR_GPR], value);
        v->mr[MK_VCPU_MR_RIP] += m.len;
        return 0;
}
