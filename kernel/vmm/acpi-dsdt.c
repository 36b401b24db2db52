/* kernel/vmm/acpi-dsdt.c: the DSDT's AML (see acpi.h). In \_SB: the PCI
 * root bridge (Linux's only way to scan PCI when ACPI is on), COM1 and
 * the i8042's keyboard and mouse as PNP devices (hardware-reduced Linux
 * has no legacy PIC and maps ISA IRQs only for devices firmware
 * describes); with a power button GSI, the button and the Generic Event
 * Device that reports it (hardware-reduced ACPI has no fixed power
 * button). Resource descriptors follow ACPI 6 §6.4. */
#include "acpi-dsdt.h"
#include "le.h"

#define AML_SCOPE_OP 0x10
#define AML_DEVICE_OP 0x82      /* after ExtOpPrefix */

/* \_S5: the sleep type a guest writes to SLP_TYP for soft-off. */
static const uint8_t s5[] = {
        0x08,                   /* NameOp */
        '_', 'S', '5', '_',     /* NameSeg "_S5_" */
        0x12,                   /* PackageOp */
        0x08,                   /* PkgLength: 8 bytes, itself included */
        0x04,                   /* NumElements: 4 */
        0x0a, ACPI_S5_TYPE,     /* BytePrefix 5: SLP_TYPa */
        0x0a, ACPI_S5_TYPE,     /* BytePrefix 5: SLP_TYPb (no PM1b here) */
        0x00,                   /* ZeroOp: reserved */
        0x00,                   /* ZeroOp: reserved */
};

/* Method (_EVT, 1) { Notify (PWRB, 0x80) }: whatever the interrupt, a
 * press of \_SB.PWRB (0x80: "status change", for a button the press;
 * PWRB found by the namespace search up from \_SB.GED0). Byte for byte
 * what iasl 20200925 compiles from that line. */
static const uint8_t ged_evt[] = {
        0x14, 0x0d,             /* MethodOp, PkgLength 13 */
        '_', 'E', 'V', 'T',
        0x01,                   /* MethodFlags: one argument, not serialized */
        0x86,                   /* NotifyOp */
        'P', 'W', 'R', 'B',
        0x0a, 0x80,             /* BytePrefix 0x80 */
};

static const uint8_t end_tag[2] = { 0x79, 0x00 };       /* checksum 0: not checked */

/* A Word Address Space Descriptor (0x88): fixed min and max. */
static size_t
word_range(uint8_t *d, uint8_t type, uint8_t type_flags, uint16_t min, uint16_t max)
{
        __builtin_memset(d, 0, 16);
        d[0] = 0x88;
        wr16(d + 1, 13);
        d[3] = type;            /* 1 I/O, 2 bus number */
        d[4] = 0x0c;            /* MinFixed, MaxFixed, positive decode */
        d[5] = type_flags;
        wr16(d + 8, min);
        wr16(d + 10, max);
        wr16(d + 14, (uint16_t)(max - min + 1));
        return 16;
}

/* A QWord memory range (0x8a), read-write, non-cacheable. */
static size_t
qword_memory(uint8_t *d, uint64_t base, uint64_t size)
{
        __builtin_memset(d, 0, 46);
        d[0] = 0x8a;
        wr16(d + 1, 43);
        d[4] = 0x0c;
        d[5] = 0x01;
        wr64(d + 14, base);
        wr64(d + 22, base + size - 1);
        wr64(d + 38, size);
        return 46;
}

static void
device_begin(struct aml *a, const char name[4], size_t *at)
{
        *at = aml_open(a, true, AML_DEVICE_OP);
        aml_bytes(a, name, 4);
}

static void
pci_root(struct aml *a, const struct vmm_acpi_config *cfg)
{
        uint8_t crs[16 * 3 + 46 * 2 + 2];
        size_t at, n = 0;

        n += word_range(crs + n, 2, 0, 0, 0xff);                /* buses 0-255 */
        n += word_range(crs + n, 1, 3, 0, 0xcf7);               /* ports below CONFIG_ADDRESS */
        n += word_range(crs + n, 1, 3, 0xd00, 0xffff);          /* ports above CONFIG_DATA */
        if (cfg->mmio32.size)
                n += qword_memory(crs + n, cfg->mmio32.base, cfg->mmio32.size);
        if (cfg->mmio64.size)
                n += qword_memory(crs + n, cfg->mmio64.base, cfg->mmio64.size);
        __builtin_memcpy(crs + n, end_tag, 2);
        n += 2;
        device_begin(a, "PCI0", &at);
        aml_name_eisaid(a, "_HID", "PNP0A03");
        aml_name_int(a, "_UID", 0);
        aml_name_int(a, "_BBN", 0);
        aml_name_int(a, "_SEG", 0);
        aml_name_buffer(a, "_CRS", crs, n);
        aml_close(a, at);
}

/* An ISA device: its ports (two I/O descriptors at most) and one IRQ. */
static void
isa_device(struct aml *a, const char name[4], const char hid[7], const uint16_t *ports,
           const uint8_t *lens, unsigned nports, unsigned irq)
{
        uint8_t crs[8 * 2 + 3 + 2];
        size_t at, n = 0;

        for (unsigned i = 0; i < nports; i++, n += 8) {
                crs[n] = 0x47;          /* I/O port descriptor */
                crs[n + 1] = 0x01;      /* 16-bit decode */
                wr16(crs + n + 2, ports[i]);
                wr16(crs + n + 4, ports[i]);
                crs[n + 6] = 1;         /* alignment */
                crs[n + 7] = lens[i];
        }
        crs[n] = 0x22;                  /* IRQ descriptor without flags: edge, active high */
        wr16(crs + n + 1, (uint16_t)(1u << irq));
        __builtin_memcpy(crs + n + 3, end_tag, 2);
        n += 5;
        device_begin(a, name, &at);
        aml_name_eisaid(a, "_HID", hid);
        aml_name_buffer(a, "_CRS", crs, n);
        aml_close(a, at);
}

/* \_SB.PWRB and \_SB.GED0 with one Extended Interrupt descriptor
 * (0x89: consumer, edge, active high, exclusive; one GSI). */
static void
power_button(struct aml *a, uint32_t gsi)
{
        uint8_t crs[11] = { 0x89, 6, 0, 0x03, 1 };
        size_t at;

        wr32(crs + 5, gsi);
        __builtin_memcpy(crs + 9, end_tag, 2);
        device_begin(a, "PWRB", &at);
        aml_name_eisaid(a, "_HID", "PNP0C0C");
        aml_close(a, at);
        device_begin(a, "GED0", &at);
        aml_name_string(a, "_HID", "ACPI0013");
        aml_name_buffer(a, "_CRS", crs, sizeof(crs));
        aml_bytes(a, ged_evt, sizeof(ged_evt));
        aml_close(a, at);
}

void
acpi_dsdt_aml(struct aml *a, const struct vmm_acpi_config *cfg)
{
        static const uint16_t com1[] = { 0x3f8 }, kbd[] = { 0x60, 0x64 };
        static const uint8_t com1_len[] = { 8 }, kbd_len[] = { 1, 1 };
        size_t at;

        aml_bytes(a, s5, sizeof(s5));
        at = aml_open(a, false, AML_SCOPE_OP);
        aml_bytes(a, "_SB_", 4);
        pci_root(a, cfg);
        isa_device(a, "COM1", "PNP0501", com1, com1_len, 1, 4);
        isa_device(a, "PS2K", "PNP0303", kbd, kbd_len, 2, 1);
        isa_device(a, "PS2M", "PNP0F13", NULL, NULL, 0, 12);
        if (cfg->power_button_gsi)
                power_button(a, cfg->power_button_gsi);
        aml_close(a, at);
}
