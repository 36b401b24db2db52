/* kernel/arch/x86_64/acpi.c: the one ACPI table the kernel reads, the
 * MADT (found through the RSDP, then the XSDT or RSDT): where the I/O
 * APIC is, how ISA IRQs map onto its inputs, how many CPUs there are.
 * Without ACPI the PC defaults stand: I/O APIC at 0xfec00000, ISA IRQ n
 * on input n, edge triggered, active high. */
#include "acpi-power.h"
#include "arch.h"

struct sdt {
        char sig[4];
        uint32_t length;
        uint8_t rev, checksum;
        char oem[6], oem_table[8];
        uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

struct rsdp {
        char sig[8];
        uint8_t checksum;
        char oem[6];
        uint8_t rev;
        uint32_t rsdt;
        uint32_t length;
        uint64_t xsdt;
} __attribute__((packed));

static bool sum_ok(const void *p, size_t n)
{
        uint8_t s = 0;

        for (size_t i = 0; i < n; i++)
                s += ((const uint8_t *)p)[i];
        return s == 0;
}

static uint64_t find_rsdp(void)
{
        for (uint64_t p = 0xe0000; p < 0x100000; p += 16)
                if (!__builtin_memcmp(arch_phys(p), "RSD PTR ", 8) && sum_ok(arch_phys(p), 20))
                        return p;
        return 0;
}

static const struct sdt *find_table(const struct rsdp *r, const char *sig)
{
        bool x = r->rev >= 2 && r->xsdt;
        const struct sdt *root = arch_phys(x ? r->xsdt : r->rsdt);
        unsigned w = x ? 8 : 4, n;

        if (!sum_ok(root, root->length))
                return NULL;
        n = (root->length - sizeof(*root)) / w;
        for (unsigned i = 0; i < n; i++) {
                const uint8_t *e = (const uint8_t *)(root + 1) + i * w;
                uint64_t a = 0;
                const struct sdt *t;

                __builtin_memcpy(&a, e, w);
                t = arch_phys(a);
                if (!__builtin_memcmp(t->sig, sig, 4) && sum_ok(t, t->length))
                        return t;
        }
        return NULL;
}

static void madt_entry(const uint8_t *e, struct arch_madt *m)
{
        uint32_t v32;
        uint16_t v16;

        switch (e[0]) {
        case 0:                                 /* processor local APIC */
                __builtin_memcpy(&v32, e + 4, 4);
                m->cpus += v32 & 1;
                break;
        case 1:                                 /* I/O APIC: the first one serves */
                if (m->ioapic_base)
                        break;
                __builtin_memcpy(&v32, e + 4, 4);
                m->ioapic_base = v32;
                __builtin_memcpy(&m->ioapic_gsi_base, e + 8, 4);
                break;
        case 2:                                 /* interrupt source override */
                if (e[3] >= 16)                 /* bus, source IRQ, GSI, flags */
                        break;
                __builtin_memcpy(&m->gsi_of_isa[e[3]], e + 4, 4);
                __builtin_memcpy(&v16, e + 8, 2);
                m->flags_of_isa[e[3]] = v16;
                break;
        }
}

void arch_acpi_madt(uint64_t rsdp, struct arch_madt *m)
{
        const struct sdt *t;
        const uint8_t *p, *end;

        for (unsigned i = 0; i < 16; i++) {
                m->gsi_of_isa[i] = i;
                m->flags_of_isa[i] = 0;
        }
        m->ioapic_base = 0;
        m->ioapic_gsi_base = 0;
        m->cpus = 0;
        if (!rsdp)
                rsdp = find_rsdp();
        t = rsdp ? find_table(arch_phys(rsdp), "APIC") : NULL;
        if (!t) {
                arch_log("acpi: no MADT (rsdp 0x%lx): PC defaults", rsdp);
                m->ioapic_base = 0xfec00000;
                m->cpus = 1;
                return;
        }
        p = (const uint8_t *)t + sizeof(*t) + 8;
        end = (const uint8_t *)t + t->length;
        for (; p + 2 <= end && p[1] >= 2; p += p[1])
                madt_entry(p, m);
        if (!m->ioapic_base)
                m->ioapic_base = 0xfec00000;
        arch_log("acpi: rsdp 0x%lx, %u cpu(s), I/O APIC 0x%lx, ISA IRQ 0 -> GSI %u", rsdp,
                 m->cpus, m->ioapic_base, m->gsi_of_isa[0]);
}

/* The DSDT the FADT names (X_DSDT when the table reaches it and it is
 * set), inside the direct map, with its signature and a sane length. */
static const struct sdt *fadt_dsdt(const struct sdt *f)
{
        uint64_t a = 0;
        const struct sdt *d;

        if (f->length >= 148)
                __builtin_memcpy(&a, (const uint8_t *)f + 140, 8);
        if (!a && f->length >= 44)
                __builtin_memcpy(&a, (const uint8_t *)f + 40, 4);
        if (!a || a + sizeof(*d) > arch_direct_end)
                return NULL;
        d = arch_phys(a);
        if (__builtin_memcmp(d->sig, "DSDT", 4) || d->length < sizeof(*d) ||
            a + d->length > arch_direct_end)
                return NULL;
        return d;
}

void arch_acpi_power(uint64_t rsdp, struct thatte_acpi_power *ret)
{
        const struct sdt *f, *d;
        const char *why = "no FADT";

        if (!rsdp)
                rsdp = find_rsdp();
        f = rsdp ? find_table(arch_phys(rsdp), "FACP") : NULL;
        if (!f) {
                __builtin_memset(ret, 0, sizeof(*ret));
        } else {
                d = fadt_dsdt(f);
                (void)acpi_power_parse((const uint8_t *)f, f->length, (const uint8_t *)d,
                                       d ? d->length : 0, ret, &why);
        }
        arch_log("acpi: power: SCI IRQ %u, PM1a event 0x%x control 0x%x, S5 type %u, "
                 "SMI 0x%x enable 0x%x, flags %u%s%s", ret->sci_irq, ret->pm1a_evt, ret->pm1a_cnt,
                 ret->slp_typ_a, ret->smi_cmd, ret->acpi_enable, ret->flags, *why ? ": " : "", why);
}
