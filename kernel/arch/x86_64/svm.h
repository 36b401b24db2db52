/* kernel/arch/x86_64/svm.h: what svm.c and vmrun.c share about AMD SVM. */
#ifndef THATTE_ARCH_SVM_H
#define THATTE_ARCH_SVM_H

#include <stdbool.h>
#include <stdint.h>

#define EFER_SVME (1ull << 12)

struct arch_svm {
        bool on;                /* SVM with nested paging, enabled */
        uint32_t asids;         /* CPUID 8000_000A EBX */
        uint64_t host_vmsave;   /* physical page for VMSAVE / VMLOAD of the host */
};
extern struct arch_svm arch_svm;

/* arch_svm_init: detect, enable, or log "no SVM with nested paging". */
void arch_svm_init(void);

/* vmrun.c: the VCPU hooks of struct mk_arch_ops, the MSR permission map,
 * and the guest run entry.S calls for a thread in MK_ENTRY_GUEST. */
void arch_vm_msrpm_init(void);
void arch_vcpu_init(void *vcpu);
int arch_vcpu_state(void *vcpu, unsigned field, uint64_t *value, bool write);
void arch_vcpu_ports(void *vcpu, uint16_t first, uint16_t last);
struct mk_tcb *arch_guest_run(struct mk_tcb *t);

/* vfpu.c: a guest's x87/SSE/AVX registers and XCR0 in its VCPU's save area. */
void arch_vfpu_init(void);
uint64_t arch_vfpu_allowed(void);
void arch_vfpu_reset(uint8_t *area);
uint64_t arch_vfpu_xcr0(const uint8_t *area);
int arch_vfpu_set_xcr0(uint8_t *area, uint64_t v);
void arch_vfpu_enter(uint8_t *area, uint64_t *cr0, uint64_t *cr4);
void arch_vfpu_leave(uint8_t *area, uint64_t cr0, uint64_t cr4);

#endif
