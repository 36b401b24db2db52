/* kernel/kvmm/cpuid.c: the CPUID the guest sees: the host's, cut down to
 * what thatte-kvmm backs. Added: the hypervisor bit, x2APIC and the
 * TSC-deadline timer (apic.c). Taken away: SVM and VMX (no nesting),
 * MONITOR/MWAIT, XSAVE and everything that needs it (AVX and up: the
 * guest gets x87/SSE through FXSAVE), MCE/MCA, MTRRs, RDTSCP and
 * TSC_AUX, performance counters, debug stores, thermal and power leaves,
 * speculation-control MSRs, topology leaves (one CPU, APIC ID 0). Leaves
 * past the last one listed read zero, as on a CPU that lacks them. */
#include "kvmm.h"

#define BIT(n) (1u << (n))

#define MAX_BASIC 0x7u
#define MAX_EXT 0x80000008u

/* Leaf 1 ECX: SSE3, PCLMULQDQ, SSSE3, FMA? no (AVX), CX16, SSE4.1/4.2,
 * MOVBE, POPCNT, AES, RDRAND; plus what the VMM adds. */
#define L1_ECX_KEEP (BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | BIT(22) | \
                     BIT(23) | BIT(25) | BIT(30))
#define L1_ECX_ADD (BIT(21) | BIT(24) | BIT(31))        /* x2APIC, TSC-deadline, hypervisor */
/* Leaf 1 EDX: FPU, VME, DE, PSE, TSC, MSR, PAE, CX8, APIC, SEP, PGE, CMOV,
 * PAT, PSE36, CLFLUSH, MMX, FXSR, SSE, SSE2. */
#define L1_EDX_KEEP (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | \
                     BIT(9) | BIT(11) | BIT(13) | BIT(15) | BIT(16) | BIT(17) | BIT(19) | \
                     BIT(23) | BIT(24) | BIT(25) | BIT(26))
/* Leaf 7 EBX: FSGSBASE, BMI1, SMEP, BMI2, ERMS, ADX, SMAP, CLFLUSHOPT, SHA. */
#define L7_EBX_KEEP (BIT(0) | BIT(3) | BIT(7) | BIT(8) | BIT(9) | BIT(19) | BIT(20) | \
                     BIT(23) | BIT(29))
/* 0x80000001 ECX: LAHF, ABM, SSE4A, misaligned SSE, PREFETCHW. */
#define E1_ECX_KEEP (BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8))
/* 0x80000001 EDX: SYSCALL, NX, 1 GiB pages, long mode. */
#define E1_EDX_KEEP (BIT(11) | BIT(20) | BIT(26) | BIT(29))

static void host_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

static bool listed(uint32_t leaf, uint32_t max_ext)
{
        if (leaf >= 0x80000000u)
                return leaf <= max_ext;
        return leaf <= MAX_BASIC && leaf != 0x5u && leaf != 0x6u;
}

void kvmm_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        uint32_t ext[4];

        host_cpuid(0x80000000u, 0, ext);
        if (ext[0] > MAX_EXT)
                ext[0] = MAX_EXT;
        r[0] = r[1] = r[2] = r[3] = 0;
        if (!listed(leaf, ext[0]))
                return;
        host_cpuid(leaf, sub, r);
        switch (leaf) {
        case 0x0:
                if (r[0] > MAX_BASIC)
                        r[0] = MAX_BASIC;
                break;
        case 0x1:
                r[1] = (r[1] & 0xffffu) | 1u << 16;     /* one logical CPU, APIC ID 0 */
                r[2] = (r[2] & L1_ECX_KEEP) | L1_ECX_ADD;
                r[3] &= L1_EDX_KEEP;
                break;
        case 0x4:                                       /* caches: one core shares them */
                r[0] &= 0x3ffu;
                break;
        case 0x7:
                if (sub) {
                        r[0] = r[1] = r[2] = r[3] = 0;
                        break;
                }
                r[0] = 0;
                r[1] &= L7_EBX_KEEP;
                r[2] = r[3] = 0;
                break;
        case 0x80000000u:
                r[0] = ext[0];
                break;
        case 0x80000001u:
                r[2] &= E1_ECX_KEEP;
                r[3] &= E1_EDX_KEEP;
                break;
        case 0x80000007u:
                r[0] = r[1] = r[2] = 0;
                r[3] &= BIT(8);                         /* invariant TSC */
                break;
        case 0x80000008u:
                r[1] = 0;
                r[2] = 0;                               /* one core */
                r[3] = 0;
                break;
        default:
                break;
        }
}
