/* tests/helpers/qmp-conn.c: socket plumbing for thatte-test-qmp.
 *
 * The socket is non-blocking from the start: connect() to a listener whose
 * backlog is full then fails with EAGAIN (retried) instead of blocking,
 * and reads and writes only happen after poll() says they can proceed. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qmp-conn.h"

#define RETRY_INTERVAL_MS 50

int64_t qmp_now_ms(void)
{
        struct timespec ts;

        (void)clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for EVENTS on FD until DEADLINE. Returns 0 when ready. */
static int wait_fd(int fd, short events, int64_t deadline)
{
        for (;;) {
                struct pollfd p = { .fd = fd, .events = events };
                int64_t left = deadline - qmp_now_ms();
                int n;

                if (left <= 0)
                        return -ETIMEDOUT;
                n = poll(&p, 1, left > 1000 ? 1000 : (int)left);
                if (n < 0 && errno != EINTR)
                        return -errno;
                if (n > 0)
                        return 0;
        }
}

static void sleep_ms(int64_t ms)
{
        struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static int connect_once(const struct sockaddr_un *sa, int *ret_fd)
{
        int fd, r;

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0) {
                r = -errno;
                (void)close(fd);
                return r;
        }
        *ret_fd = fd;
        return 0;
}

static int is_retryable(int r)
{
        return r == -ENOENT || r == -ECONNREFUSED || r == -EAGAIN;
}

int qmp_conn_open(const char *path, int64_t deadline, struct qmp_conn *ret,
                  int *ret_last_error)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = -1, r;

        if (strlen(path) >= sizeof sa.sun_path)
                return -ENAMETOOLONG;
        memcpy(sa.sun_path, path, strlen(path) + 1);
        for (;;) {
                r = connect_once(&sa, &fd);
                if (r == 0 || !is_retryable(r))
                        break;
                if (qmp_now_ms() + RETRY_INTERVAL_MS > deadline) {
                        *ret_last_error = -r;
                        return -ETIMEDOUT;
                }
                sleep_ms(RETRY_INTERVAL_MS);
        }
        if (r < 0)
                return r;
        *ret = (struct qmp_conn){ .fd = fd };
        return 0;
}

/* Moves unread bytes to the front and makes room for at least one more. */
static int make_room(struct qmp_conn *c)
{
        size_t cap;
        char *buf;

        if (c->start > 0) {
                memmove(c->buf, c->buf + c->start, c->len - c->start);
                c->len -= c->start;
                c->start = 0;
        }
        if (c->len + 1 < c->cap)
                return 0;
        if (c->cap >= QMP_CONN_MAX_LINE + 2)
                return -EMSGSIZE;
        cap = c->cap ? c->cap * 2 : 4096;
        if (cap > QMP_CONN_MAX_LINE + 2)
                cap = QMP_CONN_MAX_LINE + 2;
        buf = realloc(c->buf, cap);
        if (!buf)
                return -ENOMEM;
        c->buf = buf;
        c->cap = cap;
        return 0;
}

/* Reads what is available now into the buffer. 0 on progress. */
static int fill(struct qmp_conn *c, int64_t deadline)
{
        ssize_t n;
        int r;

        r = make_room(c);
        if (r < 0)
                return r;
        r = wait_fd(c->fd, POLLIN, deadline);
        if (r < 0)
                return r;
        /* Keep one byte spare for the NUL a returned line gets. */
        n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
        if (n < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -errno;
        if (n == 0)
                return -EPIPE;
        c->len += (size_t)n;
        return 0;
}

int qmp_conn_read_line(struct qmp_conn *c, int64_t deadline,
                       const char **ret_line, size_t *ret_len)
{
        size_t scanned = 0;

        for (;;) {
                char *line = c->buf ? c->buf + c->start : NULL;
                size_t avail = c->len - c->start;
                char *nl = line ? memchr(line + scanned, '\n', avail - scanned) : NULL;
                int r;

                if (nl) {
                        size_t n = (size_t)(nl - line);

                        c->start += n + 1;
                        if (n > 0 && line[n - 1] == '\r')
                                n--;
                        line[n] = '\0';
                        *ret_line = line;
                        *ret_len = n;
                        return 0;
                }
                if (avail > QMP_CONN_MAX_LINE)
                        return -EMSGSIZE;
                scanned = avail;
                r = fill(c, deadline);
                if (r < 0)
                        return r;
        }
}

/* Writes all of BUF[0..len) as the socket accepts it. */
static int send_all(int fd, const char *buf, size_t len, int64_t deadline)
{
        size_t done = 0;

        while (done < len) {
                ssize_t w;
                int r;

                r = wait_fd(fd, POLLOUT, deadline);
                if (r < 0)
                        return r;
                w = send(fd, buf + done, len - done, MSG_NOSIGNAL);
                if (w < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                continue;
                        return errno == ECONNRESET ? -EPIPE : -errno;
                }
                done += (size_t)w;
        }
        return 0;
}

int qmp_conn_send(struct qmp_conn *c, const char *text, size_t len, int64_t deadline)
{
        char *line;
        int r;

        /* Command and newline go out in one write: QEMU acts on a command
         * as soon as its closing brace arrives, and after "quit" it may be
         * gone before a separate newline could follow. */
        line = malloc(len + 1);
        if (!line)
                return -ENOMEM;
        memcpy(line, text, len);
        line[len] = '\n';
        r = send_all(c->fd, line, len + 1, deadline);
        free(line);
        return r;
}

void qmp_conn_close(struct qmp_conn *c)
{
        if (!c)
                return;
        if (c->fd >= 0)
                (void)close(c->fd);
        free(c->buf);
        *c = (struct qmp_conn){ .fd = -1 };
}
