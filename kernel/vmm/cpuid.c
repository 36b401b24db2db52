/* kernel/vmm/cpuid.c: the CPUID policy (see cpuid.h; the reason for each
 * kept or cleared bit is in README.md). Bit numbers are the Intel SDM's
 * and AMD APM's, as Linux's cpufeatures.h names them. */
#include "cpuid.h"

#define BIT(n) (1u << (n))
#define BASIC_MAX 0xdu
#define EXT_MAX 0x80000008u
#define HV_BASE 0x40000000u
#define KVM_BASE 0x40000100u
#define CR4_OSXSAVE (1ull << 18)
#define XCR0_X87_SSE 0x3ull
#define XCR0_YMM 0x4ull
#define XCR0_AVX512 0xe0ull

/* Leaf 1 ECX kept: SSE3, PCLMULQDQ, SSSE3, FMA, CX16, SSE4.1, SSE4.2,
 * MOVBE, POPCNT, AES, F16C, RDRAND. AVX-class bits are added only when
 * XCR0 backs them; x2APIC, TSC-deadline and the hypervisor bit are set. */
static const uint32_t leaf1_ecx = BIT(0) | BIT(1) | BIT(9) | BIT(12) | BIT(13) | BIT(19) | BIT(20) |
                                  BIT(22) | BIT(23) | BIT(25) | BIT(29) | BIT(30);
#define L1C_X2APIC BIT(21)
#define L1C_TSC_DEADLINE BIT(24)
#define L1C_XSAVE BIT(26)
#define L1C_OSXSAVE BIT(27)
#define L1C_AVX BIT(28)
#define L1C_HYPERVISOR BIT(31)
#define L1C_FMA BIT(12)
#define L1C_F16C BIT(29)
/* Leaf 1 EDX kept: FPU, VME, DE, PSE, TSC, MSR, PAE, CX8, APIC, SEP, PGE,
 * CMOV, PAT, PSE36, CLFSH, MMX, FXSR, SSE, SSE2. */
static const uint32_t leaf1_edx = BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) |
                                  BIT(9) | BIT(11) | BIT(13) | BIT(15) | BIT(16) | BIT(17) | BIT(19) |
                                  BIT(23) | BIT(24) | BIT(25) | BIT(26);
/* Leaf 7.0 EBX kept: FSGSBASE, BMI1, SMEP, BMI2, ERMS, RDSEED, ADX, SMAP,
 * CLFLUSHOPT, CLWB, SHA; AVX2 with YMM state; AVX-512 F, DQ, IFMA, CD,
 * BW, VL with the AVX-512 states. */
static const uint32_t leaf7_ebx = BIT(0) | BIT(3) | BIT(7) | BIT(8) | BIT(9) | BIT(18) | BIT(19) |
                                  BIT(20) | BIT(23) | BIT(24) | BIT(29);
#define L7B_AVX2 BIT(5)
static const uint32_t leaf7_ebx_avx512 = BIT(16) | BIT(17) | BIT(21) | BIT(28) | BIT(30) | BIT(31);
/* Leaf 7.0 ECX kept: UMIP; GFNI, VAES, VPCLMULQDQ with YMM state. */
static const uint32_t leaf7_ecx = BIT(2);
static const uint32_t leaf7_ecx_ymm = BIT(8) | BIT(9) | BIT(10);
/* 0x80000001 ECX kept: LAHF_LM, ABM/LZCNT, SSE4A, MISALIGNSSE,
 * 3DNOWPREFETCH, XOP, FMA4, TBM. */
static const uint32_t ext1_ecx = BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(11) | BIT(16) | BIT(21);
/* 0x80000001 EDX kept: SYSCALL, NX, MMXEXT, FXSR_OPT, PDPE1GB, LM,
 * 3DNOWEXT, 3DNOW; AMD's copies of leaf 1 EDX bits filtered as there. */
static const uint32_t ext1_edx = BIT(11) | BIT(20) | BIT(22) | BIT(25) | BIT(26) | BIT(29) | BIT(30) |
                                 BIT(31);
#define EXT1_EDX_MIRROR (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | BIT(9) | \
                         BIT(13) | BIT(15) | BIT(16) | BIT(17) | BIT(23) | BIT(24))
#define EXT7_EDX_INVARIANT_TSC BIT(8)
#define LEAF6_ARAT BIT(2)

static void
host(const struct vmm_cpuid *c, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        r[0] = r[1] = r[2] = r[3] = 0;
        c->host(c->ctx, leaf, sub, r);
}

static uint64_t
xcr0_backed(const struct vmm_cpuid *c)
{
        return (c->xcr0 & XCR0_X87_SSE) == XCR0_X87_SSE ? c->xcr0 : 0;
}

static void
leaf1(const struct vmm_cpuid *c, uint64_t cr4, uint32_t r[4])
{
        uint64_t x = xcr0_backed(c);
        uint32_t ecx = r[CPUID_ECX] & leaf1_ecx;

        if (!(x & XCR0_YMM))
                ecx &= ~(L1C_FMA | L1C_F16C);   /* VEX-encoded: need YMM state */
        if (x)
                ecx |= L1C_XSAVE | (cr4 & CR4_OSXSAVE ? L1C_OSXSAVE : 0);
        if (x & XCR0_YMM)
                ecx |= r[CPUID_ECX] & L1C_AVX;
        r[CPUID_ECX] = ecx | L1C_X2APIC | L1C_TSC_DEADLINE | L1C_HYPERVISOR;
        r[CPUID_EDX] &= leaf1_edx;
        /* CLFLUSH line size kept; one logical processor; our APIC ID. */
        r[CPUID_EBX] = (r[CPUID_EBX] & 0xff00u) | 1u << 16 | (c->apic_id & 0xffu) << 24;
}

static void
leaf7(const struct vmm_cpuid *c, uint32_t sub, uint32_t r[4])
{
        uint64_t x = xcr0_backed(c);
        uint32_t ebx = r[CPUID_EBX], ecx = r[CPUID_ECX];

        r[CPUID_EAX] = r[CPUID_EDX] = 0;        /* one subleaf; no speculation-control MSRs */
        r[CPUID_EBX] = r[CPUID_ECX] = 0;
        if (sub != 0)
                return;
        r[CPUID_EBX] = ebx & leaf7_ebx;
        r[CPUID_ECX] = ecx & leaf7_ecx;
        if (x & XCR0_YMM) {
                r[CPUID_EBX] |= ebx & L7B_AVX2;
                r[CPUID_ECX] |= ecx & leaf7_ecx_ymm;
        }
        if ((x & (XCR0_YMM | XCR0_AVX512)) == (XCR0_YMM | XCR0_AVX512))
                r[CPUID_EBX] |= ebx & leaf7_ebx_avx512;
}

/* Leaf 0xb: an SMT level and a core level of one each; x2APIC ID in EDX. */
static void
leaf_topology(const struct vmm_cpuid *c, uint32_t sub, uint32_t r[4])
{
        r[CPUID_EAX] = r[CPUID_EBX] = 0;
        r[CPUID_ECX] = sub & 0xffu;
        if (sub < 2) {
                r[CPUID_EBX] = 1;
                r[CPUID_ECX] |= (sub + 1) << 8;
        }
        r[CPUID_EDX] = c->apic_id;
}

/* The XSAVE area for the components in mask: the legacy area and header,
 * then each component at the offset the host gives. */
static uint32_t
xsave_size(const struct vmm_cpuid *c, uint64_t mask)
{
        uint32_t size = 576, h[4];

        for (uint32_t i = 2; i < 63; i++) {
                if (!(mask & (1ull << i)))
                        continue;
                host(c, 0xd, i, h);
                if (h[CPUID_EAX] + h[CPUID_EBX] > size)
                        size = h[CPUID_EAX] + h[CPUID_EBX];
        }
        return size;
}

static void
leaf_xsave(const struct vmm_cpuid *c, uint32_t sub, uint64_t guest_xcr0, uint32_t r[4])
{
        uint64_t x = xcr0_backed(c);

        if (!x || sub >= 63 || (sub >= 2 && !(x & (1ull << sub)))) {
                r[0] = r[1] = r[2] = r[3] = 0;
                return;
        }
        if (sub == 0) {
                r[CPUID_EAX] = (uint32_t)x;
                r[CPUID_EDX] = (uint32_t)(x >> 32);
                r[CPUID_EBX] = xsave_size(c, guest_xcr0 & x);
                r[CPUID_ECX] = xsave_size(c, x);
        } else if (sub == 1) {
                /* XSAVEOPT, XSAVEC, XGETBV1 kept; XSAVES needs IA32_XSS: cleared. */
                r[CPUID_EAX] &= BIT(0) | BIT(1) | BIT(2);
                r[CPUID_EBX] = r[CPUID_ECX] = r[CPUID_EDX] = 0;
        }
        /* sub ≥ 2, a backed component: size and offset are the host's. */
}

static void
hypervisor_leaf(const struct vmm_cpuid *c, uint32_t leaf, uint32_t r[4])
{
        /* The signature's 12 bytes as EBX, ECX, EDX. */
        const char *sig = NULL;

        r[0] = r[1] = r[2] = r[3] = 0;
        if (leaf == HV_BASE)
                sig = "THATTEVMM\0\0\0";
        else if (leaf == KVM_BASE && c->kvm_leaves)
                sig = "KVMKVMKVM\0\0\0";
        if (!sig)
                return;         /* 0x40000001 (THATTE's features), KVM's: none */
        r[CPUID_EAX] = leaf + 1;
        __builtin_memcpy(&r[CPUID_EBX], sig, 4);
        __builtin_memcpy(&r[CPUID_ECX], sig + 4, 4);
        __builtin_memcpy(&r[CPUID_EDX], sig + 8, 4);
}

static void
extended(const struct vmm_cpuid *c, uint32_t leaf, uint32_t r[4])
{
        switch (leaf) {
        case 0x80000000:
                if (r[CPUID_EAX] > EXT_MAX)
                        r[CPUID_EAX] = EXT_MAX;
                break;
        case 0x80000001:
                r[CPUID_EBX] = 0;
                r[CPUID_ECX] &= ext1_ecx;
                r[CPUID_EDX] &= ext1_edx | (EXT1_EDX_MIRROR & leaf1_edx);
                break;
        case 0x80000002: case 0x80000003: case 0x80000004:      /* brand string */
        case 0x80000005: case 0x80000006:                       /* caches */
                break;
        case 0x80000007:
                r[CPUID_EAX] = r[CPUID_EBX] = r[CPUID_ECX] = 0;
                r[CPUID_EDX] &= EXT7_EDX_INVARIANT_TSC;
                break;
        case 0x80000008:
                /* Address sizes kept; no speculation-control bits, one core. */
                r[CPUID_EAX] &= 0xffffu;
                r[CPUID_EBX] = r[CPUID_ECX] = r[CPUID_EDX] = 0;
                break;
        default:
                r[0] = r[1] = r[2] = r[3] = 0;
        }
        (void)c;
}

static void
basic(const struct vmm_cpuid *c, uint32_t leaf, uint32_t sub, uint64_t cr4, uint64_t xcr0, uint32_t r[4])
{
        switch (leaf) {
        case 0:
                if (r[CPUID_EAX] > BASIC_MAX)
                        r[CPUID_EAX] = BASIC_MAX;
                break;
        case 1: leaf1(c, cr4, r); break;
        case 2: break;                          /* cache descriptors */
        case 4:                                 /* caches, shared by one thread of one core */
                r[CPUID_EAX] &= 0x3fffu;
                break;
        case 6:                                 /* power: only ARAT, the APIC timer never stops */
                r[CPUID_EAX] = LEAF6_ARAT;
                r[CPUID_EBX] = r[CPUID_ECX] = r[CPUID_EDX] = 0;
                break;
        case 7: leaf7(c, sub, r); break;
        case 0xb: leaf_topology(c, sub, r); break;
        case 0xd: leaf_xsave(c, sub, xcr0, r); break;
        default:                                /* 3, 5 MONITOR, 8, 9, 0xa PMU, 0xc */
                r[0] = r[1] = r[2] = r[3] = 0;
        }
}

void
vmm_cpuid(const struct vmm_cpuid *c, uint32_t leaf, uint32_t sub, uint64_t guest_cr4,
          uint64_t guest_xcr0, uint32_t r[4])
{
        uint32_t max[4];

        if (leaf >= HV_BASE && leaf < HV_BASE + 0x10000u) {
                hypervisor_leaf(c, leaf, r);
                return;
        }
        host(c, leaf & 0x80000000u, 0, max);
        if (leaf > max[CPUID_EAX] || leaf > ((leaf & 0x80000000u) ? EXT_MAX : BASIC_MAX)) {
                r[0] = r[1] = r[2] = r[3] = 0;
                return;
        }
        host(c, leaf, sub, r);
        if (leaf & 0x80000000u)
                extended(c, leaf, r);
        else
                basic(c, leaf, sub, guest_cr4, guest_xcr0, r);
}
