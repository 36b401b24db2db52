/* tests/helpers/qmp-conn.h: a QMP unix-socket connection with deadlines.
 *
 * Every call takes an absolute deadline on CLOCK_MONOTONIC (milliseconds,
 * see qmp_now_ms()) and waits with poll(), so a silent or stuck QEMU ends in
 * -ETIMEDOUT instead of a hang. Lines are bounded by QMP_CONN_MAX_LINE. */
#ifndef THATTE_TESTS_QMP_CONN_H
#define THATTE_TESTS_QMP_CONN_H

#include <stddef.h>
#include <stdint.h>

#define QMP_CONN_MAX_LINE (16u * 1024u * 1024u)

struct qmp_conn {
        int fd;
        char *buf;      /* received bytes; [start, len) not yet returned */
        size_t cap;
        size_t len;
        size_t start;
};

/* qmp_now_ms: the current CLOCK_MONOTONIC time in milliseconds. */
int64_t qmp_now_ms(void);

/* qmp_conn_open: connects to the unix socket PATH, retrying while it does
 * not exist or refuses (QEMU not listening yet) until DEADLINE.
 * Returns 0 and fills *ret, or -ENAMETOOLONG, -ETIMEDOUT (then *ret_last_error
 * holds the last connect() errno) or another -errno; *ret untouched on failure. */
int qmp_conn_open(const char *path, int64_t deadline, struct qmp_conn *ret,
                  int *ret_last_error);

/* qmp_conn_read_line: waits for the next complete line (without its "\n";
 * a trailing "\r" is removed too). *ret_line points into the connection's
 * buffer and stays valid until the next call; it is NUL-terminated.
 * Returns 0; -EPIPE when the peer closed; -ETIMEDOUT; -EMSGSIZE for a line
 * over QMP_CONN_MAX_LINE; -ENOMEM; or another -errno. */
int qmp_conn_read_line(struct qmp_conn *c, int64_t deadline,
                       const char **ret_line, size_t *ret_len);

/* qmp_conn_send: writes TEXT[0..len) followed by "\n".
 * Returns 0, -EPIPE when the peer is gone, -ETIMEDOUT or another -errno. */
int qmp_conn_send(struct qmp_conn *c, const char *text, size_t len, int64_t deadline);

/* qmp_conn_close: releases the socket and buffer; accepts NULL and a
 * closed connection. */
void qmp_conn_close(struct qmp_conn *c);

#endif
