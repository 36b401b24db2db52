/* thatte/arch-aarch64.h: the aarch64 part of the user ABI (thatte/arch.h).
 *
 * System calls: SVC #0 with x0 = the number (out: MK_OK or MK_E_*),
 * x1 = cptr (out: the badge), x2 = message info, x3 = the reply cap
 * address, x4..x7 = mr0..mr3, in and out (struct mk_regs); every other
 * register is kept. */
#ifndef THATTE_MK_ARCH_AARCH64_H
#define THATTE_MK_ARCH_AARCH64_H

/* IRQ numbers are the GIC's interrupt IDs below MK_IRQ_COUNT: 16..31 the
 * private peripheral interrupts, 32 and up the shared ones (QEMU virt:
 * the PL011 is 33); 0..15, software-generated, never fire as IRQs. */
#define MK_IRQ_COUNT 128u

#endif
