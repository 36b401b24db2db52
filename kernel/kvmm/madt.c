/* kernel/kvmm/madt.c: the least ACPI Linux needs to find its one local
 * APIC in x2APIC mode: an RSDP where Linux scans the BIOS area (0xE0000),
 * an RSDT and an XSDT naming one MADT with one enabled processor (APIC ID
 * 0). Without a MADT Linux keeps the xAPIC's MMIO accessors although the
 * APIC is in x2APIC mode (the MADT parse is what switches its driver) and
 * faults on the first read. No FADT, no DSDT: Linux says it cannot load
 * the namespace and runs without ACPI otherwise. The tables lie in the
 * legacy hole, which guest RAM backs but the e820 map leaves out. To be
 * replaced by kernel/vmm's full tables (FADT, DSDT, power-off). */
#include "kvmm.h"
#include "le.h"

#define ACPI_BASE 0xe0000u
#define RSDP_OFF 0x00u
#define XSDT_OFF 0x40u
#define MADT_OFF 0x80u
#define RSDT_OFF 0xc0u
#define SDT_HEADER 36u
#define MADT_LEN (SDT_HEADER + 8u + 8u)

static uint8_t checksum(const uint8_t *p, unsigned n)
{
        uint8_t sum = 0;

        for (unsigned i = 0; i < n; i++)
                sum = (uint8_t)(sum + p[i]);
        return (uint8_t)-sum;
}

static void copy(uint8_t *dst, const char *src, unsigned n)
{
        for (unsigned i = 0; i < n; i++)
                dst[i] = (uint8_t)src[i];
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
        copy(t, sig, 4);
        wr32(t + 4, len);
        t[8] = 1;                               /* revision */
        copy(t + 10, "THATTE", 6);
        copy(t + 16, "KVMM    ", 8);
        wr32(t + 24, 1);
        copy(t + 28, "THAT", 4);
        wr32(t + 32, 1);
        t[9] = checksum(t, len);                /* the body is written first */
}

int kvmm_madt_write(uint8_t *ram, uint64_t ram_size)
{
        uint8_t *a = ram + ACPI_BASE, *madt = a + MADT_OFF;

        if (ram_size < ACPI_BASE + 0x1000u)
                return -VMM_ENOSPC;
        for (unsigned i = 0; i < 0x100u; i++)
                a[i] = 0;
        wr32(madt + SDT_HEADER, APIC_BASE_DEFAULT);  /* the xAPIC address, unused */
        wr32(madt + SDT_HEADER + 4, 0);              /* no 8259 pair to route through */
        madt[SDT_HEADER + 8] = 0;                    /* processor local APIC */
        madt[SDT_HEADER + 9] = 8;
        madt[SDT_HEADER + 10] = 0;                   /* processor 0 */
        madt[SDT_HEADER + 11] = 0;                   /* APIC ID 0 */
        wr32(madt + SDT_HEADER + 12, 1);             /* enabled */
        header(madt, "APIC", MADT_LEN);
        wr64(a + XSDT_OFF + SDT_HEADER, ACPI_BASE + MADT_OFF);
        header(a + XSDT_OFF, "XSDT", SDT_HEADER + 8);
        wr32(a + RSDT_OFF + SDT_HEADER, ACPI_BASE + MADT_OFF);
        header(a + RSDT_OFF, "RSDT", SDT_HEADER + 4);
        copy(a, "RSD PTR ", 8);
        copy(a + 9, "THATTE", 6);
        a[15] = 2;                                   /* ACPI 2.0: XSDT */
        wr32(a + 16, ACPI_BASE + RSDT_OFF);
        wr32(a + 20, 36);
        wr64(a + 24, ACPI_BASE + XSDT_OFF);
        a[8] = checksum(a, 20);
        a[32] = checksum(a, 36);
        return 0;
}
