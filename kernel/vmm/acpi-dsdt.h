/* kernel/vmm/acpi-dsdt.h: the DSDT's definition block, internal to acpi.c. */
#ifndef THATTE_KVMM_ACPI_DSDT_H
#define THATTE_KVMM_ACPI_DSDT_H

#include "acpi-aml.h"
#include "acpi.h"

/* The AML after the DSDT's header: \_S5 and \_SB's devices. */
void acpi_dsdt_aml(struct aml *a, const struct vmm_acpi_config *cfg);

#endif
