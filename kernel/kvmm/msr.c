/* kernel/kvmm/msr.c: the MSRs the guest reaches. thatte-mk lets only the
 * ones VMLOAD/VMSAVE switch pass; every other access exits to here. The
 * local APIC's go to apic.c; EFER goes to the VCPU's state (checked: the
 * guest may set only SCE, LME, LMA and NXE; SVME stays the kernel's and
 * is hidden); PAT is kept (nested paging leaves the host's memory types
 * in charge); TSC reads the TSC; MISC_ENABLE, PLATFORM_ID and the
 * microcode signature read fixed values and ignore writes. Anything else
 * is #GP, as on a CPU without it: Linux probes with the safe accessors. */
#include "kvmm.h"

#define MSR_TSC 0x10u
#define MSR_PLATFORM_ID 0x17u
#define MSR_BIOS_SIGN_ID 0x8bu
#define MSR_PAT 0x277u
#define MSR_MISC_ENABLE 0x1a0u
#define MSR_EFER 0xc0000080u

#define EFER_SVME (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define CR0_PG (1ull << 31)
#define EFER_GUEST (1ull << 0 | 1ull << 8 | 1ull << 10 | 1ull << 11) /* SCE LME LMA NXE */
#define MISC_ENABLE_FAST_STRING 1ull
#define REFUSED_SAID 8u

/* As the CPU: LMA is the CPU's (a write keeps it), and LME may change
 * only while paging is off (#GP otherwise: accepted, the state would be
 * one VMRUN refuses, and the guest would stop instead of faulting). */
static int efer(struct vmm_msr *m)
{
        uint64_t v, cr0;

        if (mku_vcpu_read_state(KVMM_CAP_VCPU, MK_VCPU_STATE_EFER, &v) != MK_OK ||
            mku_vcpu_read_state(KVMM_CAP_VCPU, MK_VCPU_STATE_CR0, &cr0) != MK_OK)
                return -VMM_EINVAL;
        if (!m->write) {
                m->value = v & ~EFER_SVME;
                return 0;
        }
        if (m->value & ~EFER_GUEST)
                return -VMM_EINVAL;
        if ((cr0 & CR0_PG) && ((m->value ^ v) & EFER_LME))
                return -VMM_EINVAL;
        m->value = (m->value & ~EFER_LMA) | (v & EFER_LMA);
        return mku_vcpu_write_state(KVMM_CAP_VCPU, MK_VCPU_STATE_EFER, m->value) == MK_OK
                       ? 0 : -VMM_EINVAL;
}

/* Each byte a memory type: UC, WC, WT, WP, WB or UC-. */
static bool pat_valid(uint64_t v)
{
        for (unsigned i = 0; i < 8; i++) {
                uint8_t t = (uint8_t)(v >> (i * 8));

                if (t == 2 || t == 3 || t > 7)
                        return false;
        }
        return true;
}

static int fixed(struct vmm_msr *m)
{
        switch (m->msr) {
        case MSR_TSC:
                if (!m->write)
                        m->value = mku_rdtsc();
                return 0;
        case MSR_PLATFORM_ID:
        case MSR_BIOS_SIGN_ID:
                if (!m->write)
                        m->value = 0;
                return 0;
        case MSR_MISC_ENABLE:
                if (!m->write)
                        m->value = MISC_ENABLE_FAST_STRING;
                return 0;
        default:
                return -VMM_ENOENT;
        }
}

int kvmm_msr(struct kvmm *v, struct vmm_msr *m)
{
        int r;

        r = m->write ? vmm_apic_wrmsr(&v->apic, m->msr, m->value)
                     : vmm_apic_rdmsr(&v->apic, m->msr, &m->value);
        if (r != -VMM_ENOENT)
                return r;
        if (m->msr == MSR_EFER)
                return efer(m);
        if (m->msr == MSR_PAT) {
                if (!m->write)
                        m->value = v->pat;
                else if (pat_valid(m->value))
                        v->pat = m->value;
                else
                        return -VMM_EINVAL;
                return 0;
        }
        r = fixed(m);
        if (r != -VMM_ENOENT)
                return r;
        if (v->refused_msrs++ < REFUSED_SAID)
                kvmm_say("guest %s of MSR 0x%x refused (#GP)", m->write ? "write" : "read",
                         m->msr);
        return -VMM_EINVAL;
}
