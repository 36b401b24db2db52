/* kernel/arch/aarch64/gic.c: the interrupt controller of QEMU virt, GICv2
 * (its default) or GICv3 (gic-version=3), told apart by the distributor's
 * architecture revision. Both without security extensions, as virt has
 * them with no EL3: v2's group 0 and v3's group 1 both arrive as IRQ. A
 * GICv3 CPU interface shows in ID_AA64PFR0_EL1.GIC (the distributors'
 * ID registers sit at different offsets, so they cannot tell).
 *   v2: distributor 0x08000000, CPU interface 0x08010000 (MMIO);
 *   v3: distributor 0x08000000, CPU 0's redistributor 0x080a0000, CPU
 *       interface through the ICC_* system registers. */
#include "arch.h"

#define GICD 0x08000000ull
#define GICD_CTLR 0x000
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICC 0x08010000ull
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICR 0x080a0000ull
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000                /* the SGI and PPI frame */
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400
#define WAKER_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)
#define PRIO 0xa0u

unsigned arch_gic_version;

static void set_prio(uint64_t base, unsigned intid)
{
        uint64_t reg = base + (intid & ~3u);
        unsigned shift = (intid & 3) * 8;

        mmio_write32(reg, (mmio_read32(reg) & ~(0xffu << shift)) | (PRIO << shift));
}

static void v3_init(void)
{
        /* Affinity routing, group 1; then wake CPU 0's redistributor. */
        mmio_write32(GICD + GICD_CTLR, (1u << 4) | (1u << 1));
        mmio_write32(GICR + GICR_WAKER, mmio_read32(GICR + GICR_WAKER) & ~WAKER_SLEEP);
        while (mmio_read32(GICR + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
                ;
        sysreg_write(S3_0_C12_C12_5, sysreg_read(S3_0_C12_C12_5) | 1);   /* ICC_SRE_EL1.SRE */
        __asm__ volatile("isb");
        sysreg_write(S3_0_C4_C6_0, 0xf0);                                /* ICC_PMR_EL1 */
        sysreg_write(S3_0_C12_C12_7, 1);                                 /* ICC_IGRPEN1_EL1 */
        __asm__ volatile("isb");
}

void arch_gic_init(void)
{
        arch_gic_version = (sysreg_read(id_aa64pfr0_el1) >> 24) & 0xf ? 3 : 2;
        if (arch_gic_version >= 3) {
                v3_init();
                return;
        }
        mmio_write32(GICD + GICD_CTLR, 1);
        mmio_write32(GICC + GICC_PMR, 0xf0);
        mmio_write32(GICC + GICC_CTLR, 1);
}

/* Only private interrupts (SGIs and PPIs, below 32) so far: on v3 they
 * live in the redistributor. */
void arch_gic_enable(unsigned intid)
{
        if (arch_gic_version >= 3) {
                uint64_t sgi = GICR + GICR_SGI;

                mmio_write32(sgi + GICR_IGROUPR0, mmio_read32(sgi + GICR_IGROUPR0) | 1u << intid);
                set_prio(sgi + GICR_IPRIORITYR, intid);
                mmio_write32(sgi + GICR_ISENABLER0, 1u << intid);
                return;
        }
        set_prio(GICD + GICD_IPRIORITYR, intid);
        mmio_write32(GICD + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

unsigned arch_gic_ack(void)
{
        if (arch_gic_version >= 3)
                return (unsigned)sysreg_read(S3_0_C12_C12_0);            /* ICC_IAR1_EL1 */
        return mmio_read32(GICC + GICC_IAR);
}

void arch_gic_eoi(unsigned iar)
{
        if (arch_gic_version >= 3) {
                sysreg_write(S3_0_C12_C12_1, iar);                       /* ICC_EOIR1_EL1 */
                return;
        }
        mmio_write32(GICC + GICC_EOIR, iar);
}

/* A shared interrupt (32 and up, a device's: mk_irq's lines) masked or
 * unmasked at the distributor; unmasking first routes it to this CPU
 * (v2: the target byte; v3: GICD_IROUTER's reset value, affinity 0, is
 * this CPU) in group 1 on v3 (the group the CPU interface takes). */
void arch_gic_set_masked(unsigned intid, bool masked)
{
        uint64_t bit = 1u << (intid % 32), word = (intid / 32) * 4;

        if (intid < 32)
                return;
        if (masked) {
                mmio_write32(GICD + GICD_ICENABLER + word, (uint32_t)bit);
                return;
        }
        set_prio(GICD + GICD_IPRIORITYR, intid);
        if (arch_gic_version >= 3)
                mmio_write32(GICD + GICD_IGROUPR + word, mmio_read32(GICD + GICD_IGROUPR + word) | (uint32_t)bit);
        else
                mmio_write32(GICD + GICD_ITARGETSR + (intid & ~3u),
                             mmio_read32(GICD + GICD_ITARGETSR + (intid & ~3u)) | 1u << (intid & 3) * 8);
        mmio_write32(GICD + GICD_ISENABLER + word, (uint32_t)bit);
}
