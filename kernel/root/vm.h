/* kernel/root/vm.h: what the root task's VMM checks share (vm*.c): the
 * guest's memory layout, the guest code assembled into the root's
 * rodata, the message registers of VMEnter and small helpers that fail
 * the task when something is not as expected. */
#ifndef THATTE_ROOT_VM_H
#define THATTE_ROOT_VM_H

#include <stdbool.h>

#include "root.h"

#define RT_GUEST_VADDR 0x30800000ull    /* the root's view of the guest's page */
#define GUEST_CODE 0x100u               /* guest-physical (real mode 0:0x100) */
#define GUEST_STACK 0xff0u
#define GUEST_CODE64 0x800u             /* long-mode code in the same page */
#define GUEST_PAGES 5u                  /* guest-physical 0..0x4fff: code, PML4, PDPT, PD, data */
#define GUEST_PML4 0x1000u
#define LONG_R15 0x1122334455667788ull
#define SSE_A 0x5353454141414141ull
#define SSE_B 0x5353454242424242ull
#define AVX_A 0x4156584141414141ull
#define AVX_B 0x4156584242424242ull
#define GUEST_CR4_XSAVE 0x40220u        /* PAE, OSFXSR, OSXSAVE */
#define GUEST_MMIO 0xf0010u             /* unmapped: the NPF */
#define GUEST_PORT 0x4f0u               /* intercepted */
#define GUEST_IRQ_PORT 0x4f1u           /* the interrupt handler's report */
#define GUEST_VECTOR 0x20u
#define GUEST_CPUID_EAX 0x54414854u     /* what the VMM answers to leaf 0 */
#define EVENT_VALID (1ull << 31)
#define IOIO_IN 1u
#define IOIO_SZ32 (1u << 6)
#define RT_VM_ROUNDS 200u
#define GUEST_SPIN_COUNT 0x4000u        /* the spinning guest counts here (not beside code:
                                         * QEMU would retranslate it on every write) */

extern const uint8_t rt_guest16[], rt_guest16_irq[], rt_guest16_loop[], rt_guest16_spin[],
        rt_guest16_end[];
extern const uint8_t rt_guest64[], rt_guest_sse[], rt_guest_avx[], rt_guest_hostile[],
        rt_guest64_end[];

/* vm-guest.c */
extern uint64_t vm_mr[MK_VCPU_MR_COUNT];  /* VMEnter's message registers, in and out */
/* vm_enter: VMEnter with vm_mr in and out; the kernel's MK_OK or MK_E_*. */
int vm_enter(void);
uint64_t vm_gpr(unsigned i);
uint64_t vm_ioio_port(void);
/* vm_expect: enter; fail the task unless the exit is want. */
void vm_expect(uint64_t want, const char *what);
void vm_check(int cond, const char *what);
/* vm_guest_space: the guest space, its pages also mapped at RT_GUEST_VADDR. */
uint64_t vm_guest_space(void);
/* vm_vcpu_new: a VCPU on gs bound to the root thread, vm_mr ready to
 * enter at rip (MK_E_UNSUPPORTED without SVM). */
int vm_vcpu_new(uint64_t gs, uint64_t *ret, uint64_t rip);
void vm_state(uint64_t v, uint64_t field, uint64_t value);
void vm_segment(uint64_t v, unsigned seg, uint64_t sel, uint64_t attr);
void vm_long_mode(uint64_t v);

/* vm-fpu.c: two guests side by side keep their own SSE and AVX registers. */
void rt_check_vm_fpu(uint64_t gs);
/* vm-fpu-host.c: after them, no host thread can reach a guest's FPU state. */
void rt_check_vm_fpu_host(void);

/* vm-hostile.c: every VCPU input and guest exit a VMM or guest could abuse. */
void rt_check_vm_hostile(uint64_t gs);

/* vm-spin.c: a guest that never exits, beside the root thread. */
void rt_check_vm_spin(uint64_t gs);

#endif
