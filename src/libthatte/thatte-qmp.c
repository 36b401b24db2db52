/* src/libthatte/thatte-qmp.c: the QMP client (see thatte-qmp.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "thatte-qmp.h"

/* A reply or event longer than this is not from a QEMU we understand. */
#define QMP_LINE_MAX (1024 * 1024)
#define QMP_EVENTS_MAX 32

struct thatte_qmp {
        int fd;
        char *buf;
        size_t len, cap;
        char *events[QMP_EVENTS_MAX];
        size_t n_events;
        char error[256];
};

long long thatte_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(long long deadline)
{
        long long left = deadline - thatte_now_ms();

        return left < 0 ? 0 : (int)(left > 1000000 ? 1000000 : left);
}

/* Reads more bytes into the buffer, waiting until the deadline. */
static int fill(thatte_qmp *q, long long deadline)
{
        struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
        ssize_t n;
        int r;

        if (q->len + 4096 > q->cap) {
                char *b;

                if (q->cap >= QMP_LINE_MAX)
                        return -EPROTO;
                b = realloc(q->buf, q->cap ? q->cap * 2 : 8192);
                if (!b)
                        return -ENOMEM;
                q->buf = b;
                q->cap = q->cap ? q->cap * 2 : 8192;
        }
        do
                r = poll(&pfd, 1, remaining(deadline));
        while (r < 0 && errno == EINTR);
        if (r < 0)
                return -errno;
        if (r == 0)
                return -ETIMEDOUT;
        n = read(q->fd, q->buf + q->len, q->cap - q->len - 1);
        if (n < 0)
                return errno == EINTR ? 0 : -errno;
        if (n == 0)
                return -ECONNRESET;
        q->len += (size_t)n;
        return 0;
}

/* Returns the next complete JSON object, waiting until the deadline. */
static int read_message(thatte_qmp *q, long long deadline, json_object **ret)
{
        for (;;) {
                char *nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
                int r;

                if (nl) {
                        json_object *o;

                        *nl = 0;
                        o = json_tokener_parse(q->buf);
                        q->len -= (size_t)(nl + 1 - q->buf);
                        memmove(q->buf, nl + 1, q->len);
                        if (!o || !json_object_is_type(o, json_type_object)) {
                                json_object_put(o);
                                return -EPROTO;
                        }
                        *ret = o;
                        return 0;
                }
                r = fill(q, deadline);
                if (r < 0)
                        return r;
        }
}

static void remember_event(thatte_qmp *q, json_object *msg)
{
        json_object *ev;

        if (!json_object_object_get_ex(msg, "event", &ev) || q->n_events >= QMP_EVENTS_MAX)
                return;
        q->events[q->n_events] = strdup(json_object_get_string(ev));
        if (q->events[q->n_events])
                q->n_events++;
}

/* Sends the first byte of s with fd attached (SCM_RIGHTS), as QEMU's
 * getfd and add-fd expect. Returns the bytes sent or -errno. */
static ssize_t send_with_fd(int sock, const char *s, int fd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct iovec iov = { .iov_base = (void *)s, .iov_len = 1 };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf) };
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        ssize_t n;

        memset(u.buf, 0, sizeof(u.buf));
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
        do
                n = sendmsg(sock, &m, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

static int send_command(thatte_qmp *q, const char *command, json_object *args, int fd)
{
        json_object *cmd = json_object_new_object();
        const char *s;
        size_t len, off = 0;
        int r = 0;

        if (!cmd) {
                json_object_put(args);
                return -ENOMEM;
        }
        json_object_object_add(cmd, "execute", json_object_new_string(command));
        if (args)
                json_object_object_add(cmd, "arguments", args);
        s = json_object_to_json_string_ext(cmd, JSON_C_TO_STRING_PLAIN);
        len = strlen(s);
        if (fd >= 0) {
                ssize_t n = send_with_fd(q->fd, s, fd);

                if (n < 0)
                        r = n == -EPIPE ? -ECONNRESET : (int)n;
                else
                        off = (size_t)n;
        }
        while (off < len && r == 0) {
                ssize_t n = send(q->fd, s + off, len - off, MSG_NOSIGNAL);

                if (n < 0 && errno != EINTR)
                        r = errno == EPIPE ? -ECONNRESET : errno == EAGAIN ? -ETIMEDOUT : -errno;
                else if (n > 0)
                        off += (size_t)n;
        }
        if (r == 0 && send(q->fd, "\n", 1, MSG_NOSIGNAL) != 1)
                r = -ECONNRESET;
        json_object_put(cmd);
        return r;
}

static int take_reply(thatte_qmp *q, json_object *msg, json_object **ret)
{
        json_object *v, *desc;

        if (json_object_object_get_ex(msg, "return", &v)) {
                if (ret)
                        *ret = json_object_get(v);
                return 0;
        }
        if (json_object_object_get_ex(msg, "error", &v)) {
                snprintf(q->error, sizeof(q->error), "%s",
                         json_object_object_get_ex(v, "desc", &desc) ? json_object_get_string(desc) : "error");
                return -EREMOTEIO;
        }
        return -EPROTO;
}

int thatte_qmp_execute(thatte_qmp *q, const char *command, json_object *args,
                       json_object **ret, int timeout_ms)
{
        return thatte_qmp_execute_fd(q, command, args, -1, ret, timeout_ms);
}

int thatte_qmp_execute_fd(thatte_qmp *q, const char *command, json_object *args, int fd,
                          json_object **ret, int timeout_ms)
{
        long long deadline = thatte_now_ms() + timeout_ms;
        int r = send_command(q, command, args, fd);

        while (r == 0) {
                json_object *msg;

                r = read_message(q, deadline, &msg);
                if (r < 0)
                        break;
                if (json_object_object_get_ex(msg, "event", NULL)) {
                        remember_event(q, msg);
                        json_object_put(msg);
                        continue;
                }
                r = take_reply(q, msg, ret);
                json_object_put(msg);
                return r;
        }
        return r;
}

static int seen_event(thatte_qmp *q, const char *event)
{
        for (size_t i = 0; i < q->n_events; i++)
                if (strcmp(q->events[i], event) == 0)
                        return 1;
        return 0;
}

int thatte_qmp_wait_event(thatte_qmp *q, const char *event, int timeout_ms)
{
        long long deadline = thatte_now_ms() + timeout_ms;

        while (!seen_event(q, event)) {
                json_object *msg;
                int r = read_message(q, deadline, &msg);

                if (r < 0)
                        return r;
                remember_event(q, msg);
                json_object_put(msg);
        }
        return 0;
}

int thatte_qmp_next_event(thatte_qmp *q, int timeout_ms, json_object **ret)
{
        long long deadline = timeout_ms < 0 ? -1 : thatte_now_ms() + timeout_ms;

        for (;;) {
                json_object *msg;
                int r = read_message(q, deadline < 0 ? thatte_now_ms() + 1000000 : deadline, &msg);

                if (r == -ETIMEDOUT && deadline < 0)
                        continue;
                if (r < 0)
                        return r;
                if (json_object_object_get_ex(msg, "event", NULL)) {
                        *ret = msg;
                        return 0;
                }
                json_object_put(msg);
        }
}

/* Connects without blocking past the deadline. QEMU serves one QMP client
 * at a time and leaves the next ones in its listen backlog; once that is
 * full a blocking connect() would wait as long as the first client stays,
 * so a busy socket is retried until the deadline instead. The socket is
 * blocking again afterwards (reads poll with a deadline; sends time out). */
static int connect_socket(const char *path, long long deadline, int *ret_fd)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct timeval tv = { .tv_sec = 5 };
        int fd, e;

        if (strlen(path) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;
        while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                e = errno;
                if ((e != EAGAIN && e != EINTR) || thatte_now_ms() >= deadline) {
                        close(fd);
                        return e == EAGAIN ? -ETIMEDOUT : -e;
                }
                usleep(10000);
        }
        if (fcntl(fd, F_SETFL, 0) < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
                e = errno;
                close(fd);
                return -e;
        }
        *ret_fd = fd;
        return 0;
}

int thatte_qmp_connect(const char *path, int timeout_ms, thatte_qmp **ret)
{
        long long deadline = thatte_now_ms() + timeout_ms;
        thatte_qmp *q = calloc(1, sizeof(*q));
        json_object *greeting = NULL;
        int r;

        if (!q)
                return -ENOMEM;
        q->fd = -1;
        r = connect_socket(path, deadline, &q->fd);
        if (r == 0)
                r = read_message(q, deadline, &greeting);
        if (r == 0 && !json_object_object_get_ex(greeting, "QMP", NULL))
                r = -EPROTO;
        json_object_put(greeting);
        if (r == 0)
                r = thatte_qmp_execute(q, "qmp_capabilities", NULL, NULL, remaining(deadline));
        if (r < 0) {
                thatte_qmp_free(q);
                return r;
        }
        *ret = q;
        return 0;
}

const char *thatte_qmp_last_error(const thatte_qmp *q)
{
        return q->error;
}

int thatte_qmp_fd(const thatte_qmp *q)
{
        return q->fd;
}

void thatte_qmp_free(thatte_qmp *q)
{
        if (!q)
                return;
        if (q->fd >= 0)
                close(q->fd);
        for (size_t i = 0; i < q->n_events; i++)
                free(q->events[i]);
        free(q->buf);
        free(q);
}
