/* vmm/kvm-fallback.h: noticing that KVM cannot run a guest. */
#ifndef VMM_KVM_FALLBACK_H
#define VMM_KVM_FALLBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "thatte-qmp.h"
#include "vmm.h"

/* How long after start-up a KVM internal error still means "KVM cannot run
 * this guest here" (such hosts fail within the first instructions). */
#define VMM_KVM_WATCH_MS 1500

/* vmm_kvm_watch: watches the VM's run state over q (or a connection of its
 * own when q is NULL) for window_ms. Returns 1 with a one-line reason in
 * why when QEMU stopped on an internal error or exited with a KVM error in
 * its log, 0 when the guest still runs. */
int vmm_kvm_watch(const vmm_vm *vm, thatte_qmp *q, int window_ms, char *why, size_t size);

/* vmm_log_kvm_error: 1 with the line in why when RUNDIR/qemu.log reports a
 * KVM error (warnings aside), else 0. */
int vmm_log_kvm_error(const char *rundir, char *why, size_t size);

/* vmm_kvm_replan: after VMM_EXIT_KVM_FAILED, says why (plan->kvm_why) and
 * plans p again under TCG into plan (see vmm_cli_plan). */
int vmm_kvm_replan(const vmm_cmd *c, const vmm_profile *p, bool paused, vmm_plan *plan);

#endif
