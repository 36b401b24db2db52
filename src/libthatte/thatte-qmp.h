/* src/libthatte/thatte-qmp.h: a small synchronous QMP client (QEMU Machine Protocol).
 *
 * QMP speaks one JSON object per line over a Unix socket: a greeting, then
 * command replies ("return" or "error") interleaved with asynchronous
 * "event" objects. Events that arrive while waiting for a reply are
 * remembered so a later thatte_qmp_wait_event() still sees them. */
#ifndef THATTE_QMP_H
#define THATTE_QMP_H

#include <json-c/json.h>

typedef struct thatte_qmp thatte_qmp;

/* thatte_qmp_connect: connects to the QMP socket at path, reads the greeting
 * and negotiates capabilities, waiting at most timeout_ms in total.
 * Returns 0 and a client in *ret, -ETIMEDOUT, -EPROTO for a peer that does
 * not speak QMP, or the connect error (-ENOENT, -ECONNREFUSED, ...). */
int thatte_qmp_connect(const char *path, int timeout_ms, thatte_qmp **ret);

/* thatte_qmp_execute: runs command with args (taken over; may be NULL) and
 * waits at most timeout_ms for the reply. Returns 0 and the "return" value
 * in *ret (caller puts it; ret may be NULL), -EREMOTEIO when QEMU answered
 * with an error (see thatte_qmp_last_error), -ECONNRESET when QEMU closed
 * the connection, -ETIMEDOUT, -EPROTO. */
int thatte_qmp_execute(thatte_qmp *q, const char *command, json_object *args,
                       json_object **ret, int timeout_ms);

/* thatte_qmp_execute_fd: like thatte_qmp_execute, passing fd along with
 * the command (SCM_RIGHTS), as "getfd" needs; fd stays ours to close. */
int thatte_qmp_execute_fd(thatte_qmp *q, const char *command, json_object *args, int fd,
                          json_object **ret, int timeout_ms);

/* thatte_qmp_next_event: waits at most timeout_ms (forever when negative)
 * for the next event that has not been read yet, skipping anything else.
 * Returns 0 and the whole event object in *ret (caller puts it),
 * -ECONNRESET when QEMU closed the socket, -ETIMEDOUT, -EPROTO. Events
 * that arrived while a command waited for its reply are not replayed. */
int thatte_qmp_next_event(thatte_qmp *q, int timeout_ms, json_object **ret);

/* thatte_qmp_wait_event: waits at most timeout_ms for the named event (or
 * one already seen). Returns 0, -ECONNRESET when the socket closed first
 * (QEMU exited), -ETIMEDOUT, -EPROTO. */
int thatte_qmp_wait_event(thatte_qmp *q, const char *event, int timeout_ms);

/* thatte_qmp_last_error: the "desc" of the last error reply, or "". */
const char *thatte_qmp_last_error(const thatte_qmp *q);

/* thatte_qmp_fd: the socket, for poll(); readable means a message or EOF. */
int thatte_qmp_fd(const thatte_qmp *q);

/* thatte_qmp_free: closes and frees; accepts NULL. */
void thatte_qmp_free(thatte_qmp *q);

/* thatte_now_ms: CLOCK_MONOTONIC in milliseconds, for deadlines. */
long long thatte_now_ms(void);

#endif
