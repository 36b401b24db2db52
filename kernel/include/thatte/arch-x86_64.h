/* thatte/arch-x86_64.h: the x86-64 part of the user ABI (thatte/arch.h).
 *
 * System calls: SYSCALL with rdi = the number (out: MK_OK or MK_E_*),
 * rsi = cptr (out: the badge), rdx = message info, r10 = the reply cap
 * address, r8, r9, r12, r13 = mr0..mr3, in and out (struct mk_regs);
 * rcx and r11 are lost, every other register is kept. */
#ifndef THATTE_MK_ARCH_X86_64_H
#define THATTE_MK_ARCH_X86_64_H

/* IRQ numbers: 0..15 are ISA IRQs (the kernel applies the firmware's
 * overrides), 16..MK_IRQ_COUNT-1 I/O APIC global system interrupts. */
#define MK_IRQ_COUNT 24u

#endif
