/* kernel/vmm/pm.c: the hardware-reduced ACPI sleep registers (ACPI 6,
 * "Sleep Control and Status Registers"): control bits 4:2 SLP_TYPx and
 * bit 5 SLP_EN (write-only, reads 0); status bit 7 WAK_STS (write 1 to
 * clear). The guest powers off by writing SLP_TYP = \_S5's value with
 * SLP_EN. */
#include "acpi.h"
#include "ports.h"

#define SLP_TYP(v) (((v) >> 2) & 7)
#define SLP_EN 0x20
#define WAK_STS 0x80

void
vmm_pm_init(struct vmm_pm *pm)
{
        __builtin_memset(pm, 0, sizeof(*pm));
}

static int
pm_byte(void *dev, uint16_t port, bool write, uint8_t *val)
{
        struct vmm_pm *pm = dev;

        if (port == ACPI_SLEEP_PORT) {
                if (!write) {
                        *val = 0;
                        return 0;
                }
                if (*val & SLP_EN) {
                        if (SLP_TYP(*val) == ACPI_S5_TYPE)
                                pm->s5_requested = true;
                        else
                                pm->other_sleeps++;
                }
                pm->control = *val;
                return 0;
        }
        if (port != ACPI_SLEEP_PORT + 1)
                return -VMM_ENOENT;
        if (!write)
                *val = pm->wake_status ? WAK_STS : 0;
        else if (*val & WAK_STS)
                pm->wake_status = false;
        return 0;
}

int
vmm_pm_io(struct vmm_pm *pm, struct vmm_io *io)
{
        if (io->port > ACPI_SLEEP_PORT + 1 || io->port + io->size <= ACPI_SLEEP_PORT)
                return -VMM_ENOENT;
        return vmm_io_bytes(io, pm_byte, pm) > 0 ? 0 : -VMM_ENOENT;
}
