/* vmm/agent.h: the host side of the guest agent protocol
 * (docs/guest-agent.md): a connection to RUNDIR/agent.sock, which QEMU
 * joins to the guest's virtio-serial port. Everything the guest sends is
 * checked before use. */
#ifndef VMM_AGENT_H
#define VMM_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "thatte-agent.h"

typedef struct vmm_agent {
        int fd;
        char why[THATTE_AGENT_MAX_ERROR + 64];  /* why the last call failed */
} vmm_agent;

/* vmm_agent_open: connects to rundir's agent.sock and greets the guest,
 * waiting at most timeout_ms for its answer (skipping what an earlier
 * session left unread). Returns 0, -ENOENT (no agent channel), -ETIMEDOUT
 * (no answer), or another -errno; a->why says why. */
int vmm_agent_open(vmm_agent *a, const char *rundir, int timeout_ms);

/* vmm_agent_send: one frame. Returns 0 or -errno. */
int vmm_agent_send(vmm_agent *a, unsigned type, const void *payload, size_t len);

/* vmm_agent_recv: one frame (header checked) into buf, which holds
 * THATTE_AGENT_MAX_PAYLOAD + 1 bytes (a NUL follows the payload). An ERROR
 * frame is checked to be printable. timeout_ms < 0 waits for ever.
 * Returns 0, -EPIPE (the channel closed), -ETIMEDOUT or -EPROTO; a->why
 * says why. */
int vmm_agent_recv(vmm_agent *a, int timeout_ms, unsigned *type, uint8_t *buf, uint32_t *len);

/* vmm_agent_close: accepts a closed one. */
void vmm_agent_close(vmm_agent *a);

#endif
