/* vmm/serial.h: attaching a terminal to a VM's serial socket. */
#ifndef VMM_SERIAL_H
#define VMM_SERIAL_H

#include <stdbool.h>

#include "vmstate.h"

/* vmm_client_lock: takes the one-client lock of a VM's socket: an flock
 * on RUNDIR/file (created 0600 when `create`). Returns 0 with the fd,
 * -EBUSY when another client holds it, or -errno. */
int vmm_client_lock(const vmm_vm *vm, const char *file, bool create, int *ret_lock);

/* vmm_serial_attach: connects to serial.sock and takes the console lock
 * (an flock on the serial log in the state folder), so only one client is attached at a time.
 * Returns 0 with both fds, -EBUSY when another client is attached, or the
 * connect error. */
int vmm_serial_attach(const vmm_vm *vm, int *ret_sock, int *ret_lock);

/* vmm_copy_once: moves one read's worth of bytes from `in` to `out`.
 * Returns bytes moved, 0 at end of input, -errno. */
ssize_t vmm_copy_once(int in, int out);

#endif
