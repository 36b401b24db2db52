/* kernel/arch/x86_64/acpi-power.h: what the root task needs to take the
 * ACPI power button and to power the machine off, read from the FADT and
 * the DSDT's \_S5 package (facts from the ACPI specification, "Fixed ACPI
 * Description Table" and "System \_Sx states"). Pure: touches only the
 * bytes it is given and what it fills, so tests/kernel/acpi-power.c runs
 * it on the host on hostile tables. */
#ifndef THATTE_ARCH_ACPI_POWER_H
#define THATTE_ARCH_ACPI_POWER_H

#include <stdint.h>

#include "thatte/rootinfo.h"

/* acpi_power_parse: reads the FADT (fadt_len bytes, header included) and
 * the DSDT (dsdt_len bytes, header included; NULL when there is none)
 * into *ret (cleared first) and returns its flags (THATTE_ACPI_POWER_*,
 * 0: neither soft-off nor the button). Lengths are trusted to be what the
 * caller may read; every field inside is checked against them. *why says
 * in a few words what is missing when a flag is not set (for the log). */
uint32_t acpi_power_parse(const uint8_t *fadt, uint32_t fadt_len, const uint8_t *dsdt,
                          uint32_t dsdt_len, struct thatte_acpi_power *ret, const char **why);

/* acpi_power_s5: finds `Name (\_S5, Package () { A, B, ... })` in the AML
 * of len bytes and returns 0 with SLP_TYP a and b (each 0..7; b is 0 when
 * the package has one element), or -1 when there is no such name or its
 * package is malformed, cut off, or holds something other than integers
 * 0..7 (*a and *b untouched then). */
int acpi_power_s5(const uint8_t *aml, uint32_t len, uint8_t *a, uint8_t *b);

#endif
