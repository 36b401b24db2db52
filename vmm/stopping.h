/* vmm/stopping.h: ending a VM: graceful, then firm, then forced. */
#ifndef VMM_STOPPING_H
#define VMM_STOPPING_H

#include <stdbool.h>

#include "thatte-qmp.h"
#include "vmstate.h"

/* The ACPI power button is pressed again this often until the guest shuts
 * down: a press that comes before the guest listens for it (early in its
 * boot) is lost, and the guest would otherwise run until the timeout. */
#define VMM_POWERDOWN_REPEAT_MS 2000

/* vmm_wait_unlocked: waits until the VM's lock is free or the deadline
 * (thatte_now_ms() clock) passes. Returns 1 if free, 0 on timeout. */
int vmm_wait_unlocked(const vmm_vm *vm, long long deadline);

/* vmm_force_end: sends QMP quit on q (may be NULL), waits until
 * quit_deadline, then SIGKILLs QEMU and waits until kill_deadline.
 * Returns 1 once the VM is gone, 0 if it outlived everything. */
int vmm_force_end(const vmm_vm *vm, thatte_qmp *q, long long quit_deadline, long long kill_deadline);

/* vmm_stop_vm: the whole `stop`: ACPI power-down (unless force), wait for
 * the SHUTDOWN event or exit, then quit, then SIGKILL, all within
 * timeout_s; then removes the runtime folder. Prints its own errors.
 * Returns an exit status; *ret_how (may be NULL) says what ended the VM:
 * "not-running", "stale", "powerdown", "forced", or "failed". */
int vmm_stop_vm(const char *name, int timeout_s, bool force, const char **ret_how);

/* vmm_finish: after the VM is gone, removes its runtime folder (taking
 * the lock so a concurrent start is not disturbed). */
void vmm_finish(const vmm_vm *vm);

#endif
