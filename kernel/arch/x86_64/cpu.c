/* kernel/arch/x86_64/cpu.c: what this CPU offers (CPUID) and the
 * protections the kernel turns on with it. qemu64 has neither SMEP nor
 * SMAP; -cpu max has both; QEMU 7.2's TCG has no x2APIC. */
#include "arch.h"
#include "cpu.h"

#define MSR_PAT 0x277

struct arch_features arch_feat;

void arch_cpu_detect(void)
{
        uint32_t r[4], max, maxext;

        cpuid(0, 0, r);
        max = r[0];
        cpuid(1, 0, r);
        arch_feat.x2apic = r[2] & (1u << 21);
        arch_feat.pat = r[3] & (1u << 16);
        if (max >= 7) {
                cpuid(7, 0, r);
                arch_feat.smep = r[1] & (1u << 7);
                arch_feat.smap = r[1] & (1u << 20);
        }
        cpuid(0x80000000u, 0, r);
        maxext = r[0];
        if (maxext >= 0x80000001u) {
                cpuid(0x80000001u, 0, r);
                arch_feat.nx = r[3] & (1u << 20);
                arch_feat.gbpages = r[3] & (1u << 26);
        }
        if (arch_feat.nx)       /* before any table with NX bits is loaded */
                wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}

void arch_cpu_protect(void)
{
        uint64_t cr4 = read_cr4();

        /* No thread has FPU state: x87 and MMX fault (#NM, #UD) with EM,
         * SSE and AVX (#UD) with CR4.OSFXSR and OSXSAVE clear. */
        write_cr0(read_cr0() | CR0_WP | CR0_EM);
        cr4 &= ~(CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE);   /* UEFI leaves them on */
        if (arch_feat.smep)
                cr4 |= CR4_SMEP;
        if (arch_feat.smap)
                cr4 |= CR4_SMAP;
        write_cr4(cr4);
        if (arch_feat.pat)
                wrmsr(MSR_PAT, MK_IA32_PAT);  /* kernel.h: entry 1 write-combining */
        arch_log("cpu: nx %d smep %d smap %d pat %d x2apic %d 1g-pages %d cr4 %lx",
                 arch_feat.nx, arch_feat.smep, arch_feat.smap, arch_feat.pat,
                 arch_feat.x2apic, arch_feat.gbpages, read_cr4());
}
