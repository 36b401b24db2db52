/* kernel/arch/x86_64/svm.h: what the x86-64 layer knows about AMD SVM. */
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

#endif
