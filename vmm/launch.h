/* vmm/launch.h: starting QEMU for a plan, under a small supervisor. */
#ifndef VMM_LAUNCH_H
#define VMM_LAUNCH_H

#include "vmm.h"
#include "vmstate.h"

/* vmm_launch_vm: creates the runtime and state folders, takes the VM's
 * lock, clears a crashed VM's leftovers, prepares the OVMF variables copy
 * and disk overlays, starts QEMU and waits (at most 60 s) until QMP
 * answers. Prints its own errors. Returns an exit status; on success vm
 * describes the running VM. With plan->kvm_fallback, a QEMU that exits
 * during start-up on a KVM error is VMM_EXIT_KVM_FAILED (reason in
 * plan->kvm_why, nothing printed). */
int vmm_launch_vm(const vmm_profile *p, vmm_plan *plan, vmm_vm *vm);

/* vmm_prepare_state: the per-VM OVMF_VARS copy and qcow2 overlays, each
 * created once (atomically) and kept across runs. Returns an exit status. */
int vmm_prepare_state(const vmm_profile *p, const vmm_plan *plan);

#endif
