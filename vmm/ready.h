/* vmm/ready.h: waiting for a serial marker (thatte-vmm up's `ready`). */
#ifndef VMM_READY_H
#define VMM_READY_H

#include <regex.h>
#include <signal.h>
#include <stddef.h>

#include "vmstate.h"

/* vmm_wait_ready: waits until a line of the VM's serial.log matches re,
 * for at most timeout_s seconds, or until *stop becomes non-zero (a signal
 * handler's flag). Returns 0; -ETIMEDOUT; -ECHILD when the VM stopped
 * first; -EINTR when stopped; -errno. */
int vmm_wait_ready(const vmm_vm *vm, const regex_t *re, unsigned timeout_s,
                   const volatile sig_atomic_t *stop);

/* vmm_ready_advice: what to try when the running VM missed its ready
 * marker, from the accelerator it was started with. */
const char *vmm_ready_advice(const vmm_vm *vm);

#endif
