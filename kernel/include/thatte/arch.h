/* thatte/arch.h: the part of the user ABI that differs between
 * architectures (the IRQ numbers, the syscall register assignment), chosen
 * by the compiler's target: the same source builds the core, libmku and
 * the root task for x86-64 and for aarch64. */
#ifndef THATTE_MK_ARCH_H
#define THATTE_MK_ARCH_H

#if defined(__aarch64__)
#include "thatte/arch-aarch64.h"
#elif defined(__x86_64__)
#include "thatte/arch-x86_64.h"
#else
#error "thatte-mk: no arch header for this target"
#endif

#endif
