/* tests/kernel/vmm-apic.c: kernel/vmm's x2APIC model: the registers Linux
 * reads and programs, the TSC-deadline timer telling the VMM when and
 * which vector to inject, priorities (TPR, in-service classes), EOI,
 * self-IPIs delivered and other IPIs refused, IA32_APIC_BASE's mode
 * transitions; then every MSR of the x2APIC range and beyond, read and
 * written with garbage, #GP or done but never anything else. */
#include <stdlib.h>

#include "tests/tap.h"
#include "apic.h"

static uint64_t
rd(struct vmm_apic *a, uint32_t msr)
{
        uint64_t v = 0xdead;
        return vmm_apic_rdmsr(a, msr, &v) ? 0xdead : v;
}

static void
test_registers(void)
{
        struct vmm_apic a;

        vmm_apic_init(&a, 0, true);
        is_int((long)rd(&a, MSR_APIC_BASE), 0xfee00d00, "APIC base: x2APIC, enabled, BSP");
        is_int((long)rd(&a, 0x802), 0, "ID");
        is_int((long)rd(&a, 0x803) & 0xff, 0x14, "version: integrated APIC");
        is_int((long)rd(&a, 0x80d), 1, "LDR derived from the ID");
        is_int((long)rd(&a, 0x80f), 0xff, "SVR at reset: disabled, vector 0xff");
        ok(rd(&a, 0x832) & 0x10000, "LVT timer masked at reset");
        uint64_t v;
        is_int(vmm_apic_rdmsr(&a, 0x80b, &v), -VMM_EINVAL, "EOI read: #GP");
        is_int(vmm_apic_wrmsr(&a, 0x802, 5), -VMM_EINVAL, "ID write: #GP");
        is_int(vmm_apic_wrmsr(&a, 0x80b, 1), -VMM_EINVAL, "EOI with a non-zero value: #GP");
        is_int(vmm_apic_wrmsr(&a, 0x80f, 0x1000 | 0x1ff), -VMM_EINVAL, "SVR reserved bit: #GP");
        is_int(vmm_apic_wrmsr(&a, 0x832, 3u << 17), -VMM_EINVAL, "timer mode 3: #GP");
        is_int(vmm_apic_wrmsr(&a, 0x808, 1ull << 32), -VMM_EINVAL, "high half set: #GP");
        is_int(vmm_apic_rdmsr(&a, 0x10, &v), -VMM_ENOENT, "TSC MSR is not the APIC's");
}

static void
test_timer(void)
{
        struct vmm_apic a;

        vmm_apic_init(&a, 0, true);
        is_int(vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 1000), 0, "deadline before deadline mode accepted");
        is_int((long)rd(&a, MSR_TSC_DEADLINE), 0, "...and ignored");
        vmm_apic_wrmsr(&a, 0x80f, 0x1ff);
        is_int(vmm_apic_wrmsr(&a, 0x832, 2u << 17 | 0xec), 0, "LVT timer: TSC deadline, vector 0xec");
        vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 5000);
        is_int((long)vmm_apic_deadline(&a), 5000, "the VMM learns the deadline");
        vmm_apic_tick(&a, 4999);
        is_int(vmm_apic_pending(&a), -1, "nothing before the deadline");
        vmm_apic_tick(&a, 5000);
        is_int(vmm_apic_pending(&a), 0xec, "at the deadline: inject 0xec");
        is_int((long)vmm_apic_deadline(&a), 0, "one shot: disarmed");
        is_int((long)rd(&a, MSR_TSC_DEADLINE), 0, "deadline MSR reads 0 after firing");
        vmm_apic_accept(&a, 0xec);
        is_int(vmm_apic_pending(&a), -1, "in service: not injected again");
        ok(rd(&a, 0x817) & (1u << (0xec % 32)), "ISR shows it");
        vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 6000);
        vmm_apic_tick(&a, 7000);
        is_int(vmm_apic_pending(&a), -1, "same class in service: held");
        vmm_apic_wrmsr(&a, 0x80b, 0);
        is_int(vmm_apic_pending(&a), 0xec, "after EOI: delivered");
        vmm_apic_accept(&a, 0xec);
        vmm_apic_wrmsr(&a, 0x80b, 0);
        vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 8000);
        vmm_apic_wrmsr(&a, 0x832, 2u << 17 | 0x10000 | 0xec);
        is_int((long)vmm_apic_deadline(&a), 0, "masked: the VMM arms nothing");
        vmm_apic_tick(&a, 9000);
        is_int(vmm_apic_pending(&a), -1, "masked timer delivers nothing");
        vmm_apic_wrmsr(&a, 0x832, 0xec);
        vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 100);
        is_int((long)vmm_apic_deadline(&a), 0, "one-shot count mode: no deadline (not modelled)");
        vmm_apic_wrmsr(&a, 0x832, 2u << 17 | 0x31);
        vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 1);
        vmm_apic_wrmsr(&a, 0x808, 0x40);        /* TPR class 4 */
        vmm_apic_tick(&a, 2);
        is_int(vmm_apic_pending(&a), -1, "vector 0x31 under TPR 0x40: held");
        vmm_apic_wrmsr(&a, 0x808, 0);
        is_int(vmm_apic_pending(&a), 0x31, "TPR lowered: delivered");
        vmm_apic_wrmsr(&a, 0x80f, 0xff);
        is_int(vmm_apic_pending(&a), -1, "software-disabled APIC delivers nothing");
        ok(rd(&a, 0x832) & 0x10000, "disabling masked the LVT");
}

static void
test_ipis_and_modes(void)
{
        struct vmm_apic a;

        vmm_apic_init(&a, 3, true);
        vmm_apic_wrmsr(&a, 0x80f, 0x1ff);
        is_int(vmm_apic_wrmsr(&a, 0x83f, 0x41), 0, "SELF_IPI");
        is_int(vmm_apic_pending(&a), 0x41, "self-IPI pending");
        vmm_apic_accept(&a, 0x41);
        vmm_apic_wrmsr(&a, 0x80b, 0);
        is_int(vmm_apic_wrmsr(&a, 0x830, 3ull << 32 | 0x52), 0, "ICR to our own ID");
        is_int(vmm_apic_pending(&a), 0x52, "delivered");
        vmm_apic_accept(&a, 0x52);
        vmm_apic_wrmsr(&a, 0x80b, 0);
        vmm_apic_wrmsr(&a, 0x830, 7ull << 32 | 0x53);
        vmm_apic_wrmsr(&a, 0x830, 3ull << 32 | 0x500);          /* INIT */
        vmm_apic_wrmsr(&a, 0x830, 3ull << 32 | 0x600 | 0x10);   /* SIPI */
        vmm_apic_wrmsr(&a, 0x830, 3u << 18 | 0x54);             /* all but self */
        ok(vmm_apic_pending(&a) == -1 && a.refused_ipis == 4, "IPIs to others, INIT, SIPI refused (%llu)",
           (unsigned long long)a.refused_ipis);
        vmm_apic_wrmsr(&a, 0x830, 1u << 18 | 0x05);
        ok(vmm_apic_pending(&a) == -1 && (rd(&a, 0x828) & 0x20), "illegal vector: ESR, nothing pending");
        is_int(vmm_apic_wrmsr(&a, 0x828, 0), 0, "ESR cleared by writing 0");
        is_int(vmm_apic_wrmsr(&a, 0x830, 1u << 12 | 0x41), -VMM_EINVAL, "ICR reserved bit: #GP");
        is_int(vmm_apic_raise(&a, 15), -VMM_EINVAL, "device vector below 16 refused");

        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00900), -VMM_EINVAL, "x2APIC to xAPIC: #GP");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfed00d00), -VMM_EINVAL, "moving the base: #GP");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00c00), -VMM_EINVAL, "clearing BSP: #GP");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00500), -VMM_EINVAL, "EXTD without EN: #GP");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00100), 0, "disable");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00d00), -VMM_EINVAL, "disabled to x2APIC: #GP");
        uint64_t v;
        is_int(vmm_apic_rdmsr(&a, 0x802, &v), -VMM_EINVAL, "x2APIC MSRs #GP while disabled");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00900), 0, "disabled to xAPIC");
        is_int(vmm_apic_wrmsr(&a, MSR_APIC_BASE, 0xfee00d00), 0, "xAPIC to x2APIC");
        is_int((long)rd(&a, 0x80f), 0xff, "disabling reset the APIC");
}

static void
test_garbage(void)
{
        struct vmm_apic a;
        int other = 0, gp = 0;

        vmm_apic_init(&a, 0, true);
        vmm_apic_wrmsr(&a, 0x80f, 0x1ff);
        srand(18);
        for (int round = 0; round < 8; round++)
                for (uint32_t msr = 0x700; msr <= 0x900; msr++) {
                        uint64_t v = (uint64_t)rand() << 33 ^ (uint64_t)rand() << 3 ^ (uint64_t)rand();
                        if (round & 1)
                                v &= 0xffffffff;
                        if (msr == MSR_APIC_BASE)
                                continue;
                        int w = vmm_apic_wrmsr(&a, msr, v), r = vmm_apic_rdmsr(&a, msr, &v);
                        other += (w && w != -VMM_EINVAL && w != -VMM_ENOENT) ||
                                 (r && r != -VMM_EINVAL && r != -VMM_ENOENT);
                        gp += w == -VMM_EINVAL;
                        vmm_apic_tick(&a, v);
                        int p = vmm_apic_pending(&a);
                        if (p >= 0)
                                vmm_apic_accept(&a, (uint8_t)p);
                }
        ok(!other && gp > 0, "garbage over MSRs 0x700..0x900: done, #GP or not ours (%d #GP)", gp);
        vmm_apic_init(&a, 0, true);
        vmm_apic_wrmsr(&a, 0x80f, 0x1ff);
        vmm_apic_wrmsr(&a, 0x832, 2u << 17 | 0xef);
        vmm_apic_wrmsr(&a, MSR_TSC_DEADLINE, 10);
        vmm_apic_tick(&a, 10);
        is_int(vmm_apic_pending(&a), 0xef, "a fresh APIC works after it");
}

int
main(void)
{
        test_registers();
        test_timer();
        test_ipis_and_modes();
        test_garbage();
        return tap_done();
}
