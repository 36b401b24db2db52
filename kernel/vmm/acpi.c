/* kernel/vmm/acpi.c: the firmware tables (see acpi.h): laid out one
 * after another, 16-byte aligned, each with its checksum; field offsets
 * are ACPI 6's (§5.2). */
#include "acpi-dsdt.h"
#include "ioapic.h"
#include "le.h"

#define HDR 36
#define RSDP_LEN 36
#define XSDT_ENTRIES 2
#define FADT_LEN 276
#define FADT_REVISION 6
#define FADT_HW_REDUCED (1u << 20)
#define FADT_WBINVD (1u << 0)
#define FADT_NO_PWR_BUTTON (1u << 4)
#define FADT_NO_SLP_BUTTON (1u << 5)
#define BOOT_LEGACY_DEVICES (1u << 0)
#define BOOT_8042 (1u << 1)
#define BOOT_NO_VGA (1u << 2)
#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1
#define MADT_PCAT_COMPAT 1u

static uint8_t
sum(const uint8_t *p, size_t n)
{
        uint8_t s = 0;

        while (n--)
                s = (uint8_t)(s + *p++);
        return s;
}

static void
header(uint8_t *t, const char sig[4], uint32_t len, uint8_t revision)
{
        __builtin_memcpy(t, sig, 4);
        wr32(t + 4, len);
        t[8] = revision;
        __builtin_memcpy(t + 10, "THATTE", 6);          /* OEM ID */
        __builtin_memcpy(t + 16, "THATTEVM", 8);        /* OEM table ID */
        wr32(t + 24, 1);                                /* OEM revision */
        __builtin_memcpy(t + 28, "THTE", 4);            /* creator ID */
        wr32(t + 32, 1);                                /* creator revision */
}

static void
checksum(uint8_t *t, size_t len, size_t at)
{
        t[at] = 0;
        t[at] = (uint8_t)-sum(t, len);
}

static void
rsdp(uint8_t *t, uint64_t xsdt)
{
        __builtin_memcpy(t, "RSD PTR ", 8);
        __builtin_memcpy(t + 9, "THATTE", 6);
        t[15] = 2;                      /* ACPI 2.0+: the XSDT is used */
        wr32(t + 20, RSDP_LEN);
        wr64(t + 24, xsdt);
        checksum(t, 20, 8);             /* the ACPI 1.0 part */
        checksum(t, RSDP_LEN, 32);      /* extended checksum: all of it */
}

static void
gas_port(uint8_t *g, uint16_t port)
{
        g[0] = GAS_SYSTEM_IO;
        g[1] = 8;                       /* bit width */
        g[2] = 0;                       /* bit offset */
        g[3] = GAS_ACCESS_BYTE;
        wr64(g + 4, port);
}

static void
fadt(uint8_t *t, uint64_t dsdt)
{
        header(t, "FACP", FADT_LEN, FADT_REVISION);
        wr32(t + 40, (uint32_t)dsdt);   /* DSDT; no FACS (FIRMWARE_CTRL 0): hardware-reduced */
        wr16(t + 109, BOOT_LEGACY_DEVICES | BOOT_8042 | BOOT_NO_VGA);
        wr32(t + 112, FADT_WBINVD | FADT_NO_PWR_BUTTON | FADT_NO_SLP_BUTTON | FADT_HW_REDUCED);
        t[131] = 0;                     /* FADT minor version: 6.0 */
        wr64(t + 140, dsdt);            /* X_DSDT */
        gas_port(t + 244, ACPI_SLEEP_PORT);             /* SLEEP_CONTROL_REG */
        gas_port(t + 256, ACPI_SLEEP_PORT + 1);         /* SLEEP_STATUS_REG */
        __builtin_memcpy(t + 268, "THATTE\0\0", 8);     /* hypervisor vendor identity */
        checksum(t, FADT_LEN, 9);
}

static size_t
madt(uint8_t *t, const struct vmm_acpi_config *cfg)
{
        size_t n = HDR + 8;

        wr32(t + HDR, 0xfee00000u);             /* local APIC address */
        wr32(t + HDR + 4, MADT_PCAT_COMPAT);    /* the 8259s exist (masked) */
        if (cfg->apic_id < 0xff) {
                uint8_t lapic[8] = { 0, 8, 0, (uint8_t)cfg->apic_id, 1 };      /* enabled */
                __builtin_memcpy(t + n, lapic, 8);
                n += 8;
        } else {
                uint8_t x2apic[16] = { 9, 16 };         /* local x2APIC */
                wr32(x2apic + 4, cfg->apic_id);
                wr32(x2apic + 8, 1);                    /* enabled */
                __builtin_memcpy(t + n, x2apic, 16);
                n += 16;
        }
        uint8_t ioapic[12] = { 1, 12, cfg->ioapic_id };
        wr32(ioapic + 4, IOAPIC_BASE);
        __builtin_memcpy(t + n, ioapic, 12);            /* GSI base 0 */
        n += 12;
        uint8_t iso[10] = { 2, 10, 0, 0, 2 };           /* ISA IRQ 0 on GSI 2, bus defaults */
        __builtin_memcpy(t + n, iso, 10);
        n += 10;
        header(t, "APIC", (uint32_t)n, 5);
        checksum(t, n, 9);
        return n;
}

static size_t
dsdt(uint8_t *t, size_t room, const struct vmm_acpi_config *cfg)
{
        struct aml a = { t, HDR, room, room < HDR };

        acpi_dsdt_aml(&a, cfg);
        if (a.overflow)
                return 0;
        header(t, "DSDT", (uint32_t)a.len, 2);          /* revision 2: 64-bit integers */
        checksum(t, a.len, 9);
        return a.len;
}

static size_t
align16(size_t n)
{
        return (n + 15) & ~(size_t)15;
}

static bool
window_ok(const struct vmm_pci_window *w, bool low)
{
        if (!w->size)
                return true;
        if (w->base + (w->size - 1) < w->base)
                return false;           /* wraps */
        return low ? w->base + (w->size - 1) <= 0xffffffffull : w->base >= 0x100000000ull;
}

int
vmm_acpi_build(uint8_t *buf, size_t size, uint64_t gpa, const struct vmm_acpi_config *cfg,
               size_t *ret_len)
{
        size_t xsdt_at = align16(RSDP_LEN), fadt_at = align16(xsdt_at + HDR + 8 * XSDT_ENTRIES);
        size_t madt_at = align16(fadt_at + FADT_LEN), dsdt_at, dsdt_len;

        if ((gpa & 15) || gpa > 0x100000000ull - ACPI_BUILD_MAX || !window_ok(&cfg->mmio32, true) ||
            !window_ok(&cfg->mmio64, false))
                return -VMM_EINVAL;
        if (size < madt_at + 96)        /* the MADT's largest form fits */
                return -VMM_ENOSPC;
        __builtin_memset(buf, 0, size);
        dsdt_at = align16(madt_at + madt(buf + madt_at, cfg));
        dsdt_len = dsdt_at < size ? dsdt(buf + dsdt_at, size - dsdt_at, cfg) : 0;
        if (!dsdt_len)
                return -VMM_ENOSPC;
        fadt(buf + fadt_at, gpa + dsdt_at);
        header(buf + xsdt_at, "XSDT", HDR + 8 * XSDT_ENTRIES, 1);
        wr64(buf + xsdt_at + HDR, gpa + fadt_at);
        wr64(buf + xsdt_at + HDR + 8, gpa + madt_at);
        checksum(buf + xsdt_at, HDR + 8 * XSDT_ENTRIES, 9);
        rsdp(buf, gpa + xsdt_at);
        *ret_len = dsdt_at + dsdt_len;
        return 0;
}
