/* tests/kernel/vmm-acpi.c: kernel/vmm's firmware tables and sleep
 * registers. The tables are found as Linux finds them (RSDP, XSDT,
 * signatures) and every checksum is verified by summing here; the FADT's
 * hardware-reduced fields, the MADT's entries and the DSDT's AML
 * (\_S5, PCI0's _CRS windows, the PNP devices) are read back byte by
 * byte. Hostile: buffers of every size too small, bad addresses and
 * windows, and garbage on the sleep ports that must never power off
 * unless it really says SLP_TYP 5 with SLP_EN. */
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "acpi.h"
#include "le.h"

#define GPA 0xe0000u

static uint8_t buf[ACPI_BUILD_MAX + 64];
static const struct vmm_acpi_config cfg = {
        .apic_id = 0, .ioapic_id = 1,
        .mmio32 = { 0xc0000000u, 0x3ec00000u }, .mmio64 = { 0x1000000000ull, 1ull << 36 },
};

static unsigned
sum8(const uint8_t *p, size_t n)
{
        unsigned s = 0;

        for (size_t i = 0; i < n; i++)
                s += p[i];
        return s & 0xff;
}

/* The table at guest address a inside buf, checked: NULL if outside. */
static const uint8_t *
table(uint64_t a, size_t len_built)
{
        if (a < GPA || a - GPA + 36 > len_built || a - GPA + rd32(buf + (a - GPA) + 4) > len_built)
                return NULL;
        return buf + (a - GPA);
}

static const uint8_t *
find(const void *hay, size_t n, const void *needle, size_t m)
{
        for (size_t i = 0; i + m <= n; i++)
                if (!memcmp((const uint8_t *)hay + i, needle, m))
                        return (const uint8_t *)hay + i;
        return NULL;
}

/* A PkgLength at p: its value, the byte count of its encoding in *n. */
static size_t
pkglen(const uint8_t *p, size_t *n)
{
        size_t follow = p[0] >> 6, v = follow ? p[0] & 0xf : p[0] & 0x3f;

        for (size_t i = 0; i < follow; i++)
                v |= (size_t)p[1 + i] << (4 + 8 * i);
        *n = 1 + follow;
        return v;
}

static void
test_tables(void)
{
        size_t len = 0;

        memset(buf, 0xa5, sizeof(buf));
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, &cfg, &len), 0, "built");
        ok(len > 0 && len <= ACPI_BUILD_MAX, "length %zu", len);
        ok(!memcmp(buf, "RSD PTR ", 8), "RSDP signature at the start");
        is_int(sum8(buf, 20), 0, "RSDP checksum (first 20 bytes)");
        is_int(sum8(buf, 36), 0, "RSDP extended checksum");
        is_int(buf[15], 2, "RSDP revision 2");
        const uint8_t *xsdt = table(rd64(buf + 24), len);
        ok(xsdt && !memcmp(xsdt, "XSDT", 4), "XSDT found");
        if (!xsdt)
                return;
        is_int(sum8(xsdt, rd32(xsdt + 4)), 0, "XSDT checksum");
        const uint8_t *fadt = NULL, *madt = NULL;
        for (size_t o = 36; o + 8 <= rd32(xsdt + 4); o += 8) {
                const uint8_t *t = table(rd64(xsdt + o), len);
                if (t && !memcmp(t, "FACP", 4))
                        fadt = t;
                if (t && !memcmp(t, "APIC", 4))
                        madt = t;
        }
        ok(fadt && madt, "XSDT lists the FADT and the MADT");
        if (!fadt || !madt)
                return;
        is_int(rd32(fadt + 4), 276, "FADT revision 6 length");
        is_int(sum8(fadt, 276), 0, "FADT checksum");
        ok(rd32(fadt + 112) & (1u << 20), "HW_REDUCED_ACPI");
        is_int(rd32(fadt + 36) | rd32(fadt + 48) | rd32(fadt + 56) | rd32(fadt + 64), 0,
               "no FACS, SMI_CMD, PM1a blocks");
        is_int(fadt[244], 1, "sleep control in port space");
        is_int(rd64(fadt + 248), ACPI_SLEEP_PORT, "sleep control port");
        is_int(rd64(fadt + 260), ACPI_SLEEP_PORT + 1, "sleep status port");
        ok(fadt[245] == 8 && fadt[247] == 1, "8 bits, byte access");
        ok(rd16(fadt + 109) & 2, "IAPC_BOOT_ARCH: 8042 present");
        const uint8_t *dsdt = table(rd64(fadt + 140), len);
        ok(dsdt && rd32(fadt + 40) == rd64(fadt + 140), "X_DSDT and DSDT agree");
        if (!dsdt)
                return;
        is_int(sum8(dsdt, rd32(dsdt + 4)), 0, "DSDT checksum");
        is_int(sum8(madt, rd32(madt + 4)), 0, "MADT checksum");
        is_int(rd32(madt + 36), 0xfee00000u, "MADT: local APIC address");
        int lapic = 0, ioapic = 0, iso = 0;
        size_t o = 44;
        while (o + 2 <= rd32(madt + 4) && madt[o + 1] >= 2) {
                const uint8_t *e = madt + o;
                if (e[0] == 0 && e[1] == 8 && e[3] == 0 && (e[4] & 1))
                        lapic++;
                if (e[0] == 1 && e[1] == 12 && e[2] == 1 && rd32(e + 4) == 0xfec00000u && rd32(e + 8) == 0)
                        ioapic++;
                if (e[0] == 2 && e[1] == 10 && e[3] == 0 && rd32(e + 4) == 2)
                        iso++;
                o += e[1];
        }
        is_int(o, rd32(madt + 4), "MADT entries fill it exactly");
        ok(lapic == 1 && ioapic == 1 && iso == 1, "one local APIC, the I/O APIC, IRQ 0 → GSI 2");
        /* AML. */
        size_t dl = rd32(dsdt + 4);
        static const uint8_t s5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 5, 0x0a, 5, 0, 0 };
        ok(find(dsdt + 36, dl - 36, s5, sizeof(s5)), "\\_S5 = Package { 5, 5, 0, 0 }");
        const uint8_t *scope = find(dsdt + 36, dl - 36, "\x10", 1);
        size_t n;
        ok(scope && scope + 1 + pkglen(scope + 1, &n) == dsdt + dl && !memcmp(scope + 1 + n, "_SB_", 4),
           "Scope(\\_SB) spans the rest of the DSDT");
        static const uint8_t pnp0a03[] = { 0x0c, 0x41, 0xd0, 0x0a, 0x03 };
        const uint8_t *pci = find(dsdt, dl, "\x5b\x82", 2);
        ok(pci && !memcmp(pci + 2 + 3, "PCI0", 4) && find(pci, dl - (size_t)(pci - dsdt), pnp0a03, 5),
           "Device(PCI0), _HID EISAID(PNP0A03)");
        static const uint8_t qword32[] = { 0x8a, 43, 0, 0, 0x0c, 0x01 };
        const uint8_t *w = find(dsdt, dl, qword32, sizeof(qword32));
        ok(w && rd64(w + 14) == 0xc0000000u && rd64(w + 22) == 0xfebfffffu && rd64(w + 38) == 0x3ec00000u,
           "PCI0 _CRS: the 32-bit window");
        static const uint8_t com1[] = { 0x47, 1, 0xf8, 3, 0xf8, 3, 1, 8, 0x22, 0x10, 0 };
        ok(find(dsdt, dl, "COM1", 4) && find(dsdt, dl, com1, sizeof(com1)), "COM1: ports 0x3F8-0x3FF, IRQ 4");
        static const uint8_t mouse_irq[] = { 0x22, 0x00, 0x10, 0x79 };
        ok(find(dsdt, dl, "PS2K", 4) && find(dsdt, dl, mouse_irq, sizeof(mouse_irq)), "PS2K, PS2M with IRQ 12");
        is_int(buf[ACPI_BUILD_MAX], 0xa5, "nothing written past the buffer");
}

static void
test_hostile_build(void)
{
        size_t len = 0, full;
        int wrong = 0, overrun = 0;

        vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, &cfg, &full);
        for (size_t size = 0; size < full; size++) {
                memset(buf, 0xa5, sizeof(buf));
                len = 12345;
                wrong += vmm_acpi_build(buf, size, GPA, &cfg, &len) != -VMM_ENOSPC || len != 12345;
                for (size_t i = size; i < sizeof(buf); i++)
                        overrun += buf[i] != 0xa5;
        }
        is_int(wrong, 0, "every size below %zu: -ENOSPC, length untouched", full);
        is_int(overrun, 0, "...and not a byte past the size given");
        is_int(vmm_acpi_build(buf, full, GPA, &cfg, &len), 0, "exactly %zu bytes: enough", full);
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA + 8, &cfg, &len), -VMM_EINVAL, "unaligned address");
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, 0xfffff010u, &cfg, &len), -VMM_EINVAL, "tables crossing 4 GiB");
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, ~0ull & ~15ull, &cfg, &len), -VMM_EINVAL, "address near 2^64");
        struct vmm_acpi_config c = cfg;
        c.mmio64.base = ~0ull - 4096;
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, &c, &len), -VMM_EINVAL, "64-bit window wrapping");
        c = cfg;
        c.mmio32.size = 0x50000000u;
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, &c, &len), -VMM_EINVAL, "32-bit window past 4 GiB");
        c = cfg;
        c.mmio64.base = 0x80000000u;
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, &c, &len), -VMM_EINVAL, "64-bit window below 4 GiB");
        c = cfg;
        c.apic_id = 300;
        is_int(vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, &c, &len), 0, "APIC ID 300");
        const uint8_t *madt = buf + (rd64(buf + (rd64(buf + 24) - GPA) + 44) - GPA);
        ok(madt[44] == 9 && rd32(madt + 48) == 300 && sum8(madt, rd32(madt + 4)) == 0,
           "...as a local x2APIC entry, checksum right");
}

static uint32_t
pm(struct vmm_pm *p, uint16_t port, uint8_t size, bool write, uint32_t v, int *r)
{
        struct vmm_io io = { port, size, write, v };

        *r = vmm_pm_io(p, &io);
        return io.value;
}

static void
test_pm(void)
{
        struct vmm_pm p;
        int r;

        vmm_pm_init(&p);
        pm(&p, ACPI_SLEEP_PORT + 1, 1, true, 0x80, &r);
        is_int(r, 0, "WAK_STS cleared as Linux does first");
        pm(&p, ACPI_SLEEP_PORT, 1, true, 5 << 2, &r);
        ok(!p.s5_requested, "SLP_TYP without SLP_EN: nothing");
        pm(&p, ACPI_SLEEP_PORT, 1, true, 3 << 2 | 0x20, &r);
        ok(!p.s5_requested && p.other_sleeps == 1, "SLP_EN with type 3: no such state, counted");
        is_int(pm(&p, ACPI_SLEEP_PORT, 1, false, 0, &r), 0, "sleep control reads 0");
        pm(&p, ACPI_SLEEP_PORT, 1, true, 5 << 2 | 0x20, &r);
        ok(p.s5_requested, "SLP_TYP 5 | SLP_EN: the guest asked for S5");
        vmm_pm_init(&p);
        pm(&p, ACPI_SLEEP_PORT, 2, true, 0xff34, &r);
        ok(p.s5_requested, "a word write carrying it at 0x600 as well");
        pm(&p, 0x3f8, 1, false, 0, &r);
        is_int(r, -VMM_ENOENT, "port 0x3F8 is not the sleep registers'");

        /* Garbage at 0x5FC-0x603, every width: S5 exactly when a byte
         * landing on 0x600 says SLP_TYP 5 with SLP_EN. */
        srand(18);
        int disagree = 0, bad = 0;
        for (int i = 0; i < 100000; i++) {
                vmm_pm_init(&p);
                uint16_t port = (uint16_t)(0x5fc + rand() % 8);
                uint8_t size = (uint8_t)(1u << (rand() % 3));
                uint32_t v = (uint32_t)rand() << 1 ^ (uint32_t)rand();
                bool write = rand() & 1, want = false;
                uint32_t got = pm(&p, port, size, write, v, &r);
                if (write && port <= ACPI_SLEEP_PORT && port + size > ACPI_SLEEP_PORT) {
                        uint8_t b = (uint8_t)(v >> (8 * (ACPI_SLEEP_PORT - port)));
                        want = (b & 0x3c) == (5 << 2 | 0x20);
                }
                disagree += p.s5_requested != want;
                bool ours = port <= ACPI_SLEEP_PORT + 1 && port + size > ACPI_SLEEP_PORT;
                bad += ours ? r != 0 || (!write && got > (size == 4 ? ~0u : (1u << (8 * size)) - 1)) : r != -VMM_ENOENT;
        }
        is_int(disagree, 0, "100000 garbage accesses: S5 only when a byte at 0x600 says so");
        is_int(bad, 0, "...each handled or not ours");
}

/* The DSDT of tables built with c (NULL if not found), its length in *dl. */
static const uint8_t *
dsdt_built(const struct vmm_acpi_config *c, size_t *dl)
{
        size_t len = 0;
        const uint8_t *xsdt, *fadt, *dsdt;

        if (vmm_acpi_build(buf, ACPI_BUILD_MAX, GPA, c, &len) < 0 || !(xsdt = table(rd64(buf + 24), len)))
                return NULL;
        for (size_t o = 36; o + 8 <= rd32(xsdt + 4); o += 8)
                if ((fadt = table(rd64(xsdt + o), len)) && !memcmp(fadt, "FACP", 4) &&
                    (dsdt = table(rd64(fadt + 140), len))) {
                        *dl = rd32(dsdt + 4);
                        return dsdt;
                }
        return NULL;
}

/* The power button: \_SB.PWRB and the Generic Event Device \_SB.GED0,
 * their pieces compared with what iasl 20200925 compiles from
 *   Device (PWRB) { Name (_HID, EisaId ("PNP0C0C")) }
 *   Device (GED0) { Name (_HID, "ACPI0013")
 *     Name (_CRS, ResourceTemplate () {
 *       Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 9 } })
 *     Method (_EVT, 1) { Notify (\_SB.PWRB, 0x80) } }
 * (the whole DSDT was also read back once with iasl -d). */
static void
test_power_button(void)
{
        static const uint8_t pwrb[] = { 'P', 'W', 'R', 'B', 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0,
                                        0x0c, 0x0c };
        static const uint8_t ged_hid[] = { 'G', 'E', 'D', '0', 0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 'C',
                                           'P', 'I', '0', '0', '1', '3', 0 };
        static const uint8_t crs9[] = { 0x89, 0x06, 0x00, 0x03, 0x01, 0x09, 0, 0, 0, 0x79, 0x00 };
        static const uint8_t evt[] = { 0x14, 0x0d, '_', 'E', 'V', 'T', 0x01, 0x86, 'P', 'W', 'R', 'B',
                                       0x0a, 0x80 };
        struct vmm_acpi_config c = cfg;
        const uint8_t *d, *ged, *scope;
        size_t dl = 0, dl_without = 0, n;

        d = dsdt_built(&c, &dl_without);
        ok(d && !find(d, dl_without, "PWRB", 4) && !find(d, dl_without, "GED0", 4),
           "no power button GSI: no PWRB, no GED0");
        c.power_button_gsi = 9;
        d = dsdt_built(&c, &dl);
        if (!ok(d && dl > dl_without, "with GSI 9: a longer DSDT (%zu > %zu)", dl, dl_without))
                return;
        is_int(sum8(d, dl), 0, "DSDT checksum with the power button");
        ok(find(d, dl, pwrb, sizeof(pwrb)), "Device (PWRB), _HID EisaId (PNP0C0C) as iasl encodes it");
        ged = find(d, dl, ged_hid, sizeof(ged_hid));
        ok(ged, "Device (GED0), _HID \"ACPI0013\" as iasl encodes it");
        ok(find(d, dl, crs9, sizeof(crs9)), "GED0 _CRS: Interrupt (consumer, edge, high, exclusive) {9}");
        const uint8_t *e = find(d, dl, evt, sizeof(evt));
        ok(e && ged && e > ged, "GED0 _EVT: Notify (PWRB, 0x80), iasl's bytes");
        /* GED0's Device PkgLength ends right after _EVT; the scope still spans the rest. */
        ok(ged && e && ged[-5] == 0x5b && ged[-4] == 0x82 &&
           ged - 3 + pkglen(ged - 3, &n) == e + sizeof(evt), "Device (GED0) ends after _EVT");
        scope = find(d + 36, dl - 36, "\x10", 1);
        ok(scope && scope + 1 + pkglen(scope + 1, &n) == d + dl && e && e + sizeof(evt) == d + dl,
           "both inside Scope (\\_SB), GED0 last");
        c.power_button_gsi = 23;
        d = dsdt_built(&c, &dl);
        ok(d && find(d, dl, (const uint8_t[]){ 0x89, 0x06, 0x00, 0x03, 0x01, 23, 0, 0, 0 }, 9),
           "GSI 23 in the descriptor");
}

int
main(void)
{
        test_tables();
        test_hostile_build();
        test_pm();
        test_power_button();
        return tap_done();
}
