/* vmm/migrate.h: QEMU migration through a file descriptor, for save and
 * restore. */
#ifndef VMM_MIGRATE_H
#define VMM_MIGRATE_H

#include <stddef.h>

#include "thatte-qmp.h"

/* vmm_migrate_fd: hands fd to QEMU under `name` (QMP getfd), then runs
 * `command` ("migrate" or "migrate-incoming") with the URI "fd:NAME".
 * Returns 0 or -errno (-EREMOTEIO: QEMU refused). */
int vmm_migrate_fd(thatte_qmp *q, const char *command, const char *name, int fd);

/* vmm_migrate_wait: polls query-migrate until the migration is over or the
 * deadline (thatte_now_ms clock) passes. Returns 0 when it completed,
 * -EIO when it failed or was cancelled (QEMU's reason in why, which is
 * untouched otherwise), -ETIMEDOUT,
 * or the QMP error (-ECONNRESET: QEMU exited). */
int vmm_migrate_wait(thatte_qmp *q, long long deadline, char *why, size_t size);

/* vmm_qmp_run_state: QEMU's run state ("running", "paused", ...) into buf.
 * Returns 0 or the QMP error. */
int vmm_qmp_run_state(thatte_qmp *q, char *buf, size_t size);

#endif
