/* kernel/vmm/cpuid.h: what the guest's CPUID says, derived from the
 * host's own answers. Only features the VMM and thatte-mk back survive;
 * one CPU, one thread; a hypervisor range naming THATTE (see README.md,
 * "CPUID policy", for why each bit is kept or cleared). */
#ifndef THATTE_KVMM_CPUID_H
#define THATTE_KVMM_CPUID_H

#include "vmm.h"

enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* The host's CPUID for (leaf, subleaf) into r[4]: the owner's, since the
 * VMM task executes CPUID natively. */
typedef void vmm_cpuid_host_fn(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4]);

struct vmm_cpuid {
        vmm_cpuid_host_fn *host;
        void *ctx;
        uint32_t apic_id;
        /* XSAVE components thatte-mk saves and restores per VCPU (XCR0
         * bits). Without x87 and SSE (bits 0, 1) the guest gets no XSAVE. */
        uint64_t xcr0;
        /* Also answer KVM's signature at 0x40000100 with no features: Linux
         * keeps x2APIC without interrupt remapping only under a
         * hypervisor it knows (see README.md). */
        bool kvm_leaves;
};

/* The guest's view of CPUID (leaf, sub): sub is the guest's ECX, any
 * value; guest_cr4 and guest_xcr0 are the VCPU's (OSXSAVE mirrors
 * CR4.OSXSAVE, leaf 0xd's current size follows XCR0). Leaves outside the
 * clamped ranges read as zeros. */
void vmm_cpuid(const struct vmm_cpuid *c, uint32_t leaf, uint32_t sub, uint64_t guest_cr4,
               uint64_t guest_xcr0, uint32_t r[4]);

#endif
