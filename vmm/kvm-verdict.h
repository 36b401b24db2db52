/* vmm/kvm-verdict.h: whether KVM runs guests on this host, probed once per
 * host, kernel and QEMU binary and kept in the cache folder. */
#ifndef VMM_KVM_VERDICT_H
#define VMM_KVM_VERDICT_H

#include <stdbool.h>

typedef struct vmm_kvm_verdict {
        bool runs;              /* a probe boot under KVM got going */
        bool cached;            /* the answer came from the cache */
        long long when;         /* when it was probed (seconds since the epoch) */
        char why[256];          /* when it did not: the probe's one-line reason */
} vmm_kvm_verdict;

/* vmm_kvm_verdict_get: the cached answer for qemu (an absolute path) on
 * this host and kernel, or, when there is none, it is stale or `refresh`,
 * a probe boot under KVM (at most 10 s; OVMF when installed, else
 * SeaBIOS), whose answer is then cached. Call only when /dev/kvm opens.
 * Returns 0 with *ret set, or -errno when QEMU could not run. */
int vmm_kvm_verdict_get(const char *qemu, bool refresh, vmm_kvm_verdict *ret);

/* vmm_kvm_verdict_cached: 1 with *ret set when a current cached answer
 * exists, 0 otherwise (never probes). */
int vmm_kvm_verdict_cached(const char *qemu, vmm_kvm_verdict *ret);

#endif
