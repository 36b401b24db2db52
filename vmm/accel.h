/* vmm/accel.h: accel = auto|kvm|tcg. */
#ifndef VMM_ACCEL_H
#define VMM_ACCEL_H

#include <stddef.h>

#include "profile.h"

/* vmm_accel_resolve: KVM when /dev/kvm opens read-write, for auto or kvm;
 * TCG otherwise for auto and tcg. Stores the choice in *ret; when KVM was
 * wanted but is unusable, a one-line reason goes to why (else why is "").
 * Returns 0, or -errno when want is kvm and KVM is unusable. */
int vmm_accel_resolve(vmm_accel want, vmm_accel *ret, char *why, size_t size);

#endif
