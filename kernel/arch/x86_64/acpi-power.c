/* kernel/arch/x86_64/acpi-power.c: the FADT's PM1 blocks, SCI and SMI
 * command, and the DSDT's \_S5 sleep type (see acpi-power.h). The tables
 * come from firmware: every offset is checked against the length. */
#include "acpi-power.h"

/* FADT offsets (ACPI 6.x, table 5.9); the table of ACPI 1.0 ends at 116. */
#define FADT_DSDT_END 44u
#define FADT_SCI_INT 46u
#define FADT_SMI_CMD 48u
#define FADT_ACPI_ENABLE 52u
#define FADT_PM1A_EVT 56u
#define FADT_PM1B_EVT 60u
#define FADT_PM1A_CNT 64u
#define FADT_PM1B_CNT 68u
#define FADT_PM1_EVT_LEN 88u
#define FADT_PM1_CNT_LEN 89u
#define FADT_FLAGS 112u
#define FADT_V1_LEN 116u
#define FADT_X_PM1A_EVT 148u            /* Generic Address Structures, 12 bytes each */
#define FADT_X_PM1B_EVT 160u
#define FADT_X_PM1A_CNT 172u
#define FADT_X_PM1B_CNT 184u

#define FLAG_PWR_BUTTON (1u << 4)       /* the power button is a control method device */
#define FLAG_HW_REDUCED (1u << 20)      /* no PM1 blocks, no SCI, no SMI command */

#define GAS_SYSTEM_IO 1u
#define SDT_HEADER 36u

/* AML opcodes (ACPI 6.x, section 20). */
#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_BYTE 0x0a
#define AML_WORD 0x0b
#define AML_DWORD 0x0c
#define AML_PACKAGE 0x12
#define AML_ROOT '\\'

static uint32_t le(const uint8_t *p, unsigned n)
{
        uint32_t v = 0;

        while (n--)
                v = v << 8 | p[n];
        return v;
}

/* A port block: the 32-bit field, or when it is 0 the 64-bit Generic
 * Address Structure at xoff (0: none) if the table reaches it and it
 * names system I/O.
 * Returns 0 when absent or when len bytes from it leave port space. */
static uint16_t block(const uint8_t *f, uint32_t flen, unsigned off, unsigned xoff, unsigned len)
{
        uint64_t port = le(f + off, 4);

        if (!port && xoff && flen >= xoff + 12 && f[xoff] == GAS_SYSTEM_IO)
                port = le(f + xoff + 4, 4) | (uint64_t)le(f + xoff + 8, 4) << 32;
        if (!port || port + len > 0x10000)
                return 0;
        return (uint16_t)port;
}

/* One integer element of a package: 0..7 only (a SLP_TYP is 3 bits). */
static int slp_typ(const uint8_t *aml, uint32_t len, uint32_t *at, uint8_t *ret)
{
        uint32_t v, n;

        if (*at >= len)
                return -1;
        switch (aml[*at]) {
        case AML_ZERO: v = 0, n = 0; break;
        case AML_ONE: v = 1, n = 0; break;
        case AML_BYTE: n = 1; break;
        case AML_WORD: n = 2; break;
        case AML_DWORD: n = 4; break;
        default: return -1;
        }
        if (n) {
                if (len - *at - 1 < n)
                        return -1;
                v = le(aml + *at + 1, n);
        }
        if (v > 7)
                return -1;
        *ret = (uint8_t)v;
        *at += 1 + n;
        return 0;
}

/* The package after the name at p: PackageOp, PkgLength (its lead byte's
 * top two bits count the bytes that follow), NumElements, elements. */
static int s5_package(const uint8_t *aml, uint32_t len, uint32_t p, uint8_t *a, uint8_t *b)
{
        uint32_t follow, pkg_end, count;
        uint8_t ta, tb = 0;

        if (p + 2 > len || aml[p] != AML_PACKAGE)
                return -1;
        follow = aml[p + 1] >> 6;
        if (follow && (aml[p + 1] & 0x30))      /* bits 5:4 of a multi-byte lead are 0 */
                return -1;
        if (len - p - 2 < follow + 1)
                return -1;
        pkg_end = follow ? aml[p + 1] & 0x0f : aml[p + 1] & 0x3f;
        for (uint32_t i = 0; i < follow; i++)
                pkg_end |= (uint32_t)aml[p + 2 + i] << (4 + 8 * i);
        if (pkg_end > len - p - 1)              /* PkgLength counts from its own first byte */
                return -1;
        pkg_end += p + 1;
        count = aml[p + 2 + follow];
        p += 3 + follow;
        if (count < 1 || slp_typ(aml, pkg_end, &p, &ta) < 0)
                return -1;
        if (count >= 2 && slp_typ(aml, pkg_end, &p, &tb) < 0)
                return -1;
        *a = ta;
        *b = tb;
        return 0;
}

int acpi_power_s5(const uint8_t *aml, uint32_t len, uint8_t *a, uint8_t *b)
{
        for (uint32_t i = 1; i + 4 <= len; i++) {
                uint32_t op = aml[i - 1] == AML_ROOT && i >= 2 ? i - 2 : i - 1;

                if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] != '5' || aml[i + 3] != '_')
                        continue;
                if (aml[op] != AML_NAME)
                        continue;
                return s5_package(aml, len, i + 4, a, b);
        }
        return -1;
}

uint32_t acpi_power_parse(const uint8_t *fadt, uint32_t fadt_len, const uint8_t *dsdt,
                          uint32_t dsdt_len, struct thatte_acpi_power *ret, const char **why)
{
        struct thatte_acpi_power p = { 0 };
        uint32_t flags;

        *ret = p;
        if (fadt_len < FADT_V1_LEN) {
                *why = "FADT too short";
                return 0;
        }
        flags = le(fadt + FADT_FLAGS, 4);
        if (flags & FLAG_HW_REDUCED) {
                *why = "hardware-reduced ACPI (no PM1 blocks)";
                return 0;
        }
        p.pm1_evt_len = fadt[FADT_PM1_EVT_LEN];
        p.pm1_cnt_len = fadt[FADT_PM1_CNT_LEN];
        if (p.pm1_evt_len < 4 || p.pm1_evt_len & 1 || p.pm1_cnt_len < 2) {
                *why = "PM1 block lengths invalid";
                return 0;
        }
        p.sci_irq = (uint16_t)le(fadt + FADT_SCI_INT, 2);
        p.pm1a_evt = block(fadt, fadt_len, FADT_PM1A_EVT, FADT_X_PM1A_EVT, p.pm1_evt_len);
        p.pm1b_evt = block(fadt, fadt_len, FADT_PM1B_EVT, FADT_X_PM1B_EVT, p.pm1_evt_len);
        p.pm1a_cnt = block(fadt, fadt_len, FADT_PM1A_CNT, FADT_X_PM1A_CNT, p.pm1_cnt_len);
        p.pm1b_cnt = block(fadt, fadt_len, FADT_PM1B_CNT, FADT_X_PM1B_CNT, p.pm1_cnt_len);
        p.smi_cmd = block(fadt, fadt_len, FADT_SMI_CMD, 0, 1);
        p.acpi_enable = p.smi_cmd ? fadt[FADT_ACPI_ENABLE] : 0;
        *why = "no PM1a control block";
        if (p.pm1a_cnt) {
                *why = "no valid \\_S5 in the DSDT";
                if (dsdt && dsdt_len > SDT_HEADER &&
                    acpi_power_s5(dsdt + SDT_HEADER, dsdt_len - SDT_HEADER, &p.slp_typ_a,
                                  &p.slp_typ_b) == 0)
                        p.flags |= THATTE_ACPI_POWER_OFF;
        }
        if (!p.pm1a_evt || !p.sci_irq)
                *why = "no PM1a event block or SCI";
        else if (flags & FLAG_PWR_BUTTON)
                *why = "the power button is a control method device";
        else
                p.flags |= THATTE_ACPI_POWER_BUTTON;
        if (p.flags == (THATTE_ACPI_POWER_OFF | THATTE_ACPI_POWER_BUTTON))
                *why = "";
        *ret = p;
        return p.flags;
}
