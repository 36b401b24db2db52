/* tests/kernel/acpi-power.c: the kernel's FADT and \_S5 reader
 * (kernel/arch/x86_64/acpi-power.c) on tables laid out as QEMU's q35 and
 * pc machines give them (ports, SCI, SMI command, \_S5 Zero or with byte
 * prefixes, a multi-byte PkgLength) and on hostile ones: short FADTs,
 * hardware-reduced and control-method power buttons, odd block lengths,
 * blocks past port space, I/O and memory Generic Address Structures,
 * every truncation of the DSDT, sleep types above 7, broken package
 * lengths, names that are not NameOp declarations. Built with the
 * sanitizers; every table is an exact-size heap copy, so a read past it
 * fails the test. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi-power.h"
#include "tests/tap.h"

static uint8_t fadt[244];

static void put(uint8_t *p, unsigned off, uint64_t v, unsigned n)
{
        for (unsigned i = 0; i < n; i++)
                p[off + i] = (uint8_t)(v >> 8 * i);
}

/* A q35 FADT (ICH9's PM base 0x600, SCI 9, APM command 0xb2, enable 2). */
static void fadt_q35(void)
{
        memset(fadt, 0, sizeof(fadt));
        memcpy(fadt, "FACP", 4);
        put(fadt, 4, sizeof(fadt), 4);
        put(fadt, 46, 9, 2);
        put(fadt, 48, 0xb2, 4);
        fadt[52] = 0x02;
        fadt[53] = 0x03;
        put(fadt, 56, 0x600, 4);
        put(fadt, 64, 0x604, 4);
        put(fadt, 76, 0x608, 4);
        fadt[88] = 4;
        fadt[89] = 2;
        fadt[91] = 4;
        put(fadt, 112, 1u << 0 | 1u << 2 | 1u << 5 | 1u << 8, 4);
}

/* The DSDT's header and AML: dsdt_make(aml, n). */
static uint8_t *dsdt;
static uint32_t dsdt_len;

static void dsdt_make(const uint8_t *aml, uint32_t n)
{
        free(dsdt);
        dsdt_len = 36 + n;
        dsdt = calloc(1, dsdt_len);
        memcpy(dsdt, "DSDT", 4);
        put(dsdt, 4, dsdt_len, 4);
        memcpy(dsdt + 36, aml, n);
}

/* Parses fadt's first flen bytes and dsdt from exact-size copies. */
static uint32_t parse_len(uint32_t flen, struct thatte_acpi_power *p, const char **why)
{
        uint8_t *f = malloc(flen), *d = dsdt ? malloc(dsdt_len) : NULL;
        uint32_t r;

        memcpy(f, fadt, flen);
        if (d)
                memcpy(d, dsdt, dsdt_len);
        r = acpi_power_parse(f, flen, d, d ? dsdt_len : 0, p, why);
        free(f);
        free(d);
        return r;
}

static uint32_t parse(struct thatte_acpi_power *p)
{
        const char *why;

        return parse_len(sizeof(fadt), p, &why);
}

/* \_S5 through the AML scanner alone, from an exact-size copy. */
static int s5(const uint8_t *aml, uint32_t n, uint8_t *a, uint8_t *b)
{
        uint8_t *c = malloc(n ? n : 1);
        int r;

        memcpy(c, aml, n);
        r = acpi_power_s5(c, n, a, b);
        free(c);
        return r;
}

#define BOTH (THATTE_ACPI_POWER_OFF | THATTE_ACPI_POWER_BUTTON)

/* Like QEMU's: \_S5 of Zero constants after another sleep state's name
 * (the boot test, tests/boot/power-button.sh, reads QEMU's real DSDT). */
static const uint8_t aml_qemu[] = {
        0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00,
        0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};
/* Name (\_S5, Package () { 5, 7 }) with byte prefixes. */
static const uint8_t aml_bytes[] = {
        0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x07,
};

/* What iasl 20200925 compiles from
 *   Name (\_S3, Package () { 1, 1, 0, 0 })
 *   Name (\_S5, Package () { 5, 7, 0, 0 })
 *   Scope (\_SB) { Device (PWRB) { Name (_HID, "PNP0C0C") } }
 * (the AML after the DSDT header): an encoding not written by hand here. */
static const uint8_t aml_iasl[] = {
        0x08, 0x5f, 0x53, 0x33, 0x5f, 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00, 0x08, 0x5f,
        0x53, 0x35, 0x5f, 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00, 0x10, 0x1a,
        0x5f, 0x53, 0x42, 0x5f, 0x5b, 0x82, 0x13, 0x50, 0x57, 0x52, 0x42, 0x08, 0x5f, 0x48,
        0x49, 0x44, 0x0d, 0x50, 0x4e, 0x50, 0x30, 0x43, 0x30, 0x43, 0x00,
};

static void good_tables(void)
{
        struct thatte_acpi_power p;
        const char *why = "x";
        uint8_t a = 9, b = 9;

        fadt_q35();
        dsdt_make(aml_qemu, sizeof(aml_qemu));
        is_int(parse_len(sizeof(fadt), &p, &why), BOTH, "q35: soft-off and the button");
        ok(!*why, "q35: nothing missing");
        is_int(p.sci_irq, 9, "q35: SCI 9");
        is_int(p.pm1a_evt, 0x600, "q35: PM1a event 0x600");
        is_int(p.pm1a_cnt, 0x604, "q35: PM1a control 0x604");
        is_int(p.pm1b_evt | p.pm1b_cnt, 0, "q35: no PM1b");
        is_int(p.smi_cmd, 0xb2, "q35: SMI command 0xb2");
        is_int(p.acpi_enable, 2, "q35: ACPI enable 2");
        is_int(p.pm1_evt_len, 4, "q35: event block 4 bytes");
        is_int(p.pm1_cnt_len, 2, "q35: control block 2 bytes");
        is_int(p.slp_typ_a, 0, "q35: \\_S5 type 0, not \\_S3's 1");
        ok(s5(aml_bytes, sizeof(aml_bytes), &a, &b) == 0 && a == 5 && b == 7,
           "\\_S5 with a root prefix and byte constants: 5, 7");
        a = b = 9;
        ok(s5(aml_iasl, sizeof(aml_iasl), &a, &b) == 0 && a == 5 && b == 7,
           "iasl's encoding of \\_S5 {5, 7, 0, 0}: 5, 7");

        /* pc (PIIX4 under SeaBIOS): PM base 0xb000, enable 0xf1; ACPI 1.0
         * length; a one-element package through a word constant. */
        put(fadt, 56, 0xb000, 4);
        put(fadt, 64, 0xb004, 4);
        fadt[52] = 0xf1;
        dsdt_make((const uint8_t[]){ 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x06, 0x00 },
                  11);
        is_int(parse_len(116, &p, &why), BOTH, "pc, ACPI 1.0 FADT: both");
        ok(p.pm1a_evt == 0xb000 && p.pm1a_cnt == 0xb004 && p.acpi_enable == 0xf1 &&
           p.slp_typ_a == 6 && p.slp_typ_b == 0, "pc: 0xb000, 0xb004, 0xf1, S5 word 6 alone");

        /* PkgLength of two bytes: lead 0x4N, then bits 4.. */
        a = b = 9;
        ok(s5((const uint8_t[]){ 0x08, '_', 'S', '5', '_', 0x12, 0x47, 0x00, 0x02, 0x01, 0x00,
                                  0x00, 0x00, 0x00 }, 14, &a, &b) == 0 && a == 1 && b == 0,
           "\\_S5 with a two-byte PkgLength");
}

static void gas_blocks(void)
{
        struct thatte_acpi_power p;

        fadt_q35();
        dsdt_make(aml_qemu, sizeof(aml_qemu));
        put(fadt, 56, 0, 4);
        put(fadt, 64, 0, 4);
        fadt[148] = 1;                          /* X_PM1a_EVT_BLK in system I/O */
        put(fadt, 152, 0x400, 8);
        fadt[172] = 0;                          /* X_PM1a_CNT_BLK in memory: not ours */
        put(fadt, 176, 0x404, 8);
        is_int(parse(&p), THATTE_ACPI_POWER_BUTTON, "X_ blocks: I/O used, memory refused");
        is_int(p.pm1a_evt, 0x400, "X_PM1a_EVT_BLK 0x400");
        is_int(p.pm1a_cnt, 0, "no control block from a memory GAS");
        fadt[172] = 1;
        put(fadt, 176, 0x1fffe, 8);
        is_int(parse(&p), THATTE_ACPI_POWER_BUTTON, "X_PM1a_CNT_BLK past port space refused");
        is_int(parse_len(160, &p, &(const char *){ 0 }), THATTE_ACPI_POWER_BUTTON,
               "a FADT ending inside X_PM1a_CNT_BLK: not read");
}

static void hostile_fadt(void)
{
        struct thatte_acpi_power p;
        const char *why;
        int bad = 0;

        fadt_q35();
        dsdt_make(aml_qemu, sizeof(aml_qemu));
        for (uint32_t n = 0; n < 116; n++)
                bad += parse_len(n, &p, &why) != 0 || p.flags || p.pm1a_cnt;
        is_int(bad, 0, "FADTs of 0..115 bytes: nothing, and no read past their end");
        put(fadt, 112, 1u << 20, 4);
        is_int(parse(&p), 0, "hardware-reduced: nothing (%s)", "no PM1");
        put(fadt, 112, 1u << 4, 4);
        is_int(parse(&p), THATTE_ACPI_POWER_OFF, "control-method power button: soft-off only");
        fadt_q35();
        fadt[88] = 5;
        is_int(parse(&p), 0, "odd PM1 event length: nothing");
        fadt[88] = 2;
        is_int(parse(&p), 0, "PM1 event length 2: nothing");
        fadt[88] = 4;
        fadt[89] = 1;
        is_int(parse(&p), 0, "PM1 control length 1: nothing");
        fadt_q35();
        put(fadt, 56, 0xfffe, 4);
        put(fadt, 64, 0xffffffff, 4);
        is_int(parse(&p), 0, "blocks past port 0xffff refused");
        fadt_q35();
        put(fadt, 46, 0, 2);
        is_int(parse(&p), THATTE_ACPI_POWER_OFF, "SCI 0: no button");
        fadt_q35();
        put(fadt, 48, 0, 4);
        ok(parse(&p) == BOTH && p.acpi_enable == 0, "no SMI command: no ACPI enable value kept");
        fadt_q35();
        free(dsdt);
        dsdt = NULL;
        is_int(parse(&p), THATTE_ACPI_POWER_BUTTON, "no DSDT: button only");
}

static void hostile_s5(void)
{
        struct thatte_acpi_power p;
        uint8_t a = 9, b = 9;
        int bad = 0;

        fadt_q35();
        for (uint32_t n = 0; n < sizeof(aml_qemu); n++) {
                dsdt_make(aml_qemu, n);
                bad += parse(&p) != THATTE_ACPI_POWER_BUTTON;
        }
        is_int(bad, 0, "every truncation of the AML: no soft-off, no read past it");
#define S5_BAD(name, ...)                                                                  \
        do {                                                                               \
                const uint8_t aml[] = { __VA_ARGS__ };                                     \
                a = b = 9;                                                                 \
                ok(s5(aml, sizeof(aml), &a, &b) < 0 && a == 9 && b == 9, name);            \
        } while (0)
        S5_BAD("sleep type 8", 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x08);
        S5_BAD("word sleep type 0x105", 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x05,
               0x01);
        S5_BAD("Ones as a sleep type", 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0xff);
        S5_BAD("a string element", 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0d, 'x', 0x00);
        S5_BAD("no elements", 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00);
        S5_BAD("PkgLength past the end", 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00);
        S5_BAD("PkgLength too short for its elements", 0x08, '_', 'S', '5', '_', 0x12, 0x03,
               0x02, 0x00, 0x00);
        S5_BAD("byte prefix cut by the PkgLength", 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01,
               0x0a, 0x05);
        S5_BAD("multi-byte PkgLength with bits 5:4 set", 0x08, '_', 'S', '5', '_', 0x12, 0x75,
               0x00, 0x01, 0x00, 0x00);
        S5_BAD("four-byte PkgLength past everything", 0x08, '_', 'S', '5', '_', 0x12, 0xcf, 0xff,
               0xff, 0xff, 0x01, 0x00);
        S5_BAD("not a package", 0x08, '_', 'S', '5', '_', 0x0a, 0x05);
        S5_BAD("_S5_ not declared by NameOp", 0x70, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x00);
        S5_BAD("no _S5_ at all", 0x08, '_', 'S', '4', '_', 0x12, 0x03, 0x01, 0x00);
        S5_BAD("_S5_ at the very end", 0x08, '_', 'S', '5', '_');
        free(dsdt);
        dsdt = NULL;
}

int main(void)
{
        good_tables();
        gas_blocks();
        hostile_fadt();
        hostile_s5();
        return tap_done();
}
