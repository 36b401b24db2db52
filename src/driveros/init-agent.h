/* init-agent.h: thatte-init's guest agent (docs/guest-agent.md), a child
 * process serving thatte-vmm's exec and copy on a virtio-serial port. */
#ifndef THATTE_DRIVEROS_INIT_AGENT_H
#define THATTE_DRIVEROS_INIT_AGENT_H

#include <stddef.h>
#include <stdint.h>

/* init_agent_main: `thatte-init --agent`: waits for the port named
 * THATTE_AGENT_PORT, then serves it forever. Returns an exit status only
 * when the port cannot be used. */
int init_agent_main(void);

/* The request handling, without the port: a session reads frames from
 * in_fd and writes replies to out_fd (the port, or a socketpair in the
 * tests). init_agent_session returns when the host goes away (EOF, an
 * error, a protocol violation: -errno) after finishing what it ran. */
int init_agent_session(int in_fd, int out_fd);

#endif
