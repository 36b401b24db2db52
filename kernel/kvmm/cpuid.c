/* kernel/kvmm/cpuid.c: the CPUID the guest sees is kernel/vmm's policy
 * (cpuid.c there, host-tested), asked with the host's own answers. The
 * guest gets no XSAVE (XCR0 0 here: its XSETBV exits get #UD in run.c)
 * and no KVM leaves; one CPU, APIC ID 0. */
#include "kvmm.h"
#include "cpuid.h"

static void host_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        (void)ctx;
        __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

static const struct vmm_cpuid policy = { .host = host_cpuid };

void kvmm_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        vmm_cpuid(&policy, leaf, sub, 0, 0, r);
}
