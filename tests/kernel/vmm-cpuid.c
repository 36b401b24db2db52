/* tests/kernel/vmm-cpuid.c: kernel/vmm's CPUID policy against a made-up
 * host that claims every feature bit: what must be cleared is cleared
 * (VMX, SVM, MONITOR, PCID, INVPCID, PMU, speculation MSRs...), what the
 * VMM backs is set (x2APIC, TSC-deadline, hypervisor), XSAVE and AVX
 * follow the XCR0 thatte-mk saves, the leaf ranges are clamped, the
 * signatures read right; then hostile leaves and subleaves. */
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "cpuid.h"

/* A host with max leaves 0x20 and 0x80000021, every feature bit set,
 * and XSAVE components 2 (AVX, 256 bytes at 576) and 5-7 (AVX-512). */
static void
fake_host(void *ctx, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        (void)ctx;
        r[0] = r[1] = r[2] = r[3] = 0xffffffffu;
        if (leaf == 0) {
                r[0] = 0x20;
                memcpy(&r[1], "Auth", 4), memcpy(&r[3], "enti", 4), memcpy(&r[2], "cAMD", 4);
        } else if (leaf == 0x80000000)
                r[0] = 0x80000021;
        else if (leaf == 1)
                r[0] = 0x00a00f11, r[1] = 0x12345678;
        else if (leaf == 0xd && sub == 2)
                r[0] = 256, r[1] = 576;
        else if (leaf == 0xd && sub >= 5 && sub <= 7)
                r[0] = sub == 7 ? 1024 : 64, r[1] = sub == 5 ? 1088 : sub == 6 ? 1152 : 1664;
}

static void
q(const struct vmm_cpuid *c, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
        vmm_cpuid(c, leaf, sub, 0, 0x7, r);
}

static void
test_features(void)
{
        struct vmm_cpuid c = { fake_host, NULL, 3, 0x7, false };
        uint32_t r[4];

        q(&c, 0, 0, r);
        is_int(r[0], 0xd, "leaf 0: max basic leaf clamped to 0xd");
        ok(!memcmp(&r[1], "Auth", 4) && !memcmp(&r[3], "enti", 4) && !memcmp(&r[2], "cAMD", 4), "vendor kept");
        q(&c, 1, 0, r);
        is_int(r[0], 0x00a00f11, "family/model/stepping kept");
        is_int(r[1] >> 24, 3, "initial APIC ID is the VCPU's");
        is_int((r[1] >> 16) & 0xff, 1, "one logical processor");
        is_int((r[1] >> 8) & 0xff, 0x56, "CLFLUSH size kept");
        ok(r[2] & (1u << 21), "x2APIC set");
        ok(r[2] & (1u << 24), "TSC-deadline set");
        ok(r[2] & (1u << 31), "hypervisor bit set");
        ok(!(r[2] & (1u << 5)), "VMX cleared");
        ok(!(r[2] & (1u << 3)), "MONITOR cleared");
        ok(!(r[2] & (1u << 17)), "PCID cleared");
        ok(!(r[2] & (1u << 15)), "PDCM cleared");
        ok((r[2] & (1u << 26)) && (r[2] & (1u << 28)), "XSAVE and AVX with YMM saved");
        ok(!(r[2] & (1u << 27)), "OSXSAVE follows CR4: clear");
        ok((r[3] & 0x1) && (r[3] & (1u << 4)) && (r[3] & (1u << 26)), "FPU, TSC, SSE2 kept");
        ok(!(r[3] & (1u << 12)) && !(r[3] & (1u << 7)) && !(r[3] & (1u << 14)), "MTRR, MCE, MCA cleared");
        ok(!(r[3] & (1u << 28)), "HTT cleared");
        vmm_cpuid(&c, 1, 0, 1ull << 18, 0x7, r);
        ok(r[2] & (1u << 27), "OSXSAVE follows CR4: set");
        q(&c, 7, 0, r);
        is_int(r[0], 0, "leaf 7: one subleaf");
        ok(!(r[1] & (1u << 10)), "INVPCID cleared");
        ok(!(r[1] & (1u << 1)) && !(r[1] & (1u << 2)) && !(r[1] & (1u << 11)), "TSC_ADJUST, SGX, RTM cleared");
        ok(r[1] & (1u << 5), "AVX2 with YMM saved");
        ok(!(r[1] & (1u << 16)), "AVX-512 without its states cleared");
        is_int(r[3], 0, "no speculation-control bits");
        ok(!(r[2] & (1u << 3)), "PKU cleared");
        q(&c, 5, 0, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "leaf 5 (MONITOR): zeros");
        q(&c, 6, 0, r);
        ok(r[0] == 4 && !(r[1] | r[2] | r[3]), "leaf 6: ARAT only (no HWP, APERF/MPERF, EPB MSRs)");
        q(&c, 0xa, 0, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "leaf 0xa (PMU): zeros");
        q(&c, 0x80000000, 0, r);
        is_int(r[0], 0x80000008, "max extended leaf clamped");
        q(&c, 0x80000001, 0, r);
        ok(!(r[2] & (1u << 2)), "SVM cleared");
        ok(!(r[2] & (1u << 29)) && !(r[2] & (1u << 22)), "MONITORX, TOPOEXT cleared");
        ok((r[3] & (1u << 29)) && (r[3] & (1u << 20)), "LM, NX kept");
        ok(!(r[3] & (1u << 27)), "RDTSCP cleared");
        ok(!(r[3] & (1u << 12)), "AMD's MTRR copy cleared");
        q(&c, 0x80000008, 0, r);
        is_int(r[1] | r[2] | r[3], 0, "0x80000008: one core, no speculation bits");
}

static void
test_xsave(void)
{
        struct vmm_cpuid c = { fake_host, NULL, 0, 0x7, false };
        uint32_t r[4];

        vmm_cpuid(&c, 0xd, 0, 0, 0x3, r);
        is_int(r[0], 0x7, "XSAVE components: the ones thatte-mk saves");
        is_int(r[1], 576, "current size for XCR0 = x87|SSE");
        is_int(r[2], 832, "maximum size with AVX");
        vmm_cpuid(&c, 0xd, 0, 0, 0xff, r);
        is_int(r[1], 832, "a guest XCR0 beyond the backed set counts only backed parts");
        q(&c, 0xd, 1, r);
        ok(!(r[0] & (1u << 3)), "XSAVES cleared");
        q(&c, 0xd, 2, r);
        is_int(r[0], 256, "AVX component size is the host's");
        q(&c, 0xd, 5, r);
        is_int(r[0] | r[1], 0, "an unbacked component: zeros");
        c.xcr0 = 0xe7;
        q(&c, 7, 0, r);
        ok(r[1] & (1u << 16), "AVX-512F with its states backed");
        c.xcr0 = 0;
        q(&c, 1, 0, r);
        ok(!(r[2] & (1u << 26)) && !(r[2] & (1u << 28)) && !(r[2] & (1u << 12)), "no XCR0: no XSAVE, AVX, FMA");
        q(&c, 0xd, 0, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "no XCR0: leaf 0xd zeros");
        c.xcr0 = 0x4;   /* YMM without x87/SSE: not a valid XCR0 */
        q(&c, 1, 0, r);
        ok(!(r[2] & (1u << 26)), "an XCR0 without x87 and SSE: no XSAVE");
}

static void
test_hypervisor(void)
{
        struct vmm_cpuid c = { fake_host, NULL, 0, 0x7, false };
        uint32_t r[4];
        char sig[13] = { 0 };

        q(&c, 0x40000000, 0, r);
        memcpy(sig, &r[1], 4), memcpy(sig + 4, &r[2], 4), memcpy(sig + 8, &r[3], 4);
        ok(!strcmp(sig, "THATTEVMM"), "0x40000000: THATTE's signature (%s)", sig);
        is_int(r[0], 0x40000001, "...with one more leaf");
        q(&c, 0x40000100, 0, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "no KVM leaves unless asked");
        c.kvm_leaves = true;
        q(&c, 0x40000100, 0, r);
        memcpy(sig, &r[1], 4), memcpy(sig + 4, &r[2], 4), memcpy(sig + 8, &r[3], 4);
        ok(!strcmp(sig, "KVMKVMKVM"), "0x40000100: KVM's signature when asked");
        q(&c, 0x40000101, 0, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "KVM features: none");
}

static void
test_topology(void)
{
        struct vmm_cpuid c = { fake_host, NULL, 7, 0x7, false };
        uint32_t r[4];

        q(&c, 0xb, 0, r);
        ok(r[1] == 1 && (r[2] >> 8) == 1 && r[3] == 7, "0xb.0: SMT level, one thread, x2APIC ID");
        q(&c, 0xb, 1, r);
        ok(r[1] == 1 && (r[2] >> 8) == 2, "0xb.1: core level, one core");
        q(&c, 0xb, 2, r);
        ok(r[1] == 0 && (r[2] >> 8) == 0, "0xb.2: invalid level");
        q(&c, 4, 0, r);
        is_int(r[0] >> 14, 0, "leaf 4: no sharing, one core");
}

static void
test_hostile(void)
{
        struct vmm_cpuid c = { fake_host, NULL, 0, 0x7, true };
        uint32_t r[4];
        int nonzero_beyond = 0;

        static const uint32_t beyond[] = { 0xe, 0x14, 0x1f, 0x20, 0x21, 0xffff, 0x3fffffff, 0x40010000,
                                           0x7fffffff, 0x80000009, 0x8000001e, 0x80000021, 0xc0000000,
                                           0xffffffff };
        for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
                q(&c, beyond[i], 0, r);
                nonzero_beyond += (r[0] | r[1] | r[2] | r[3]) != 0;
        }
        is_int(nonzero_beyond, 0, "leaves beyond the clamps read zeros");
        srand(18);
        int vmx = 0;
        for (int i = 0; i < 200000; i++) {
                uint32_t leaf = (uint32_t)rand() ^ (uint32_t)rand() << 16, sub = (uint32_t)rand() << 1;
                if (i % 4 == 0)
                        leaf &= 0x8000001f;
                vmm_cpuid(&c, leaf, sub, (uint64_t)rand() << 32 | (uint32_t)rand(), (uint64_t)rand() << 31, r);
                if (leaf == 1)
                        vmx += !!(r[2] & (1u << 5));
        }
        is_int(vmx, 0, "200000 random leaves/subleaves/CR4/XCR0: nothing crashed, VMX never shown");
        vmm_cpuid(&c, 0xd, 0xffffffffu, 0, ~0ull, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "leaf 0xd, subleaf 0xffffffff: zeros");
        vmm_cpuid(&c, 7, 0x12345, 0, 0, r);
        is_int(r[0] | r[1] | r[2] | r[3], 0, "leaf 7, a subleaf that does not exist: zeros");
}

int
main(void)
{
        test_features();
        test_xsave();
        test_hypervisor();
        test_topology();
        test_hostile();
        return tap_done();
}
