/* vmm/agent.c: see agent.h. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent.h"
#include "thatte-qmp.h"

/* Reads exactly n bytes by the deadline (-1: none). */
static int read_by(vmm_agent *a, void *buf, size_t n, long long deadline)
{
        uint8_t *p = buf;

        while (n > 0) {
                struct pollfd pfd = { .fd = a->fd, .events = POLLIN };
                long long left = deadline < 0 ? -1 : deadline - thatte_now_ms();
                ssize_t r;

                if (deadline >= 0 && left <= 0)
                        return -ETIMEDOUT;
                if (poll(&pfd, 1, left < 0 ? -1 : (int)left) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (!pfd.revents)
                        continue;
                r = read(a->fd, p, n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        return r < 0 ? -errno : -EPIPE;
                p += r;
                n -= (size_t)r;
        }
        return 0;
}

static int fail(vmm_agent *a, int r, const char *why)
{
        snprintf(a->why, sizeof a->why, "%s", why);
        return r;
}

int vmm_agent_send(vmm_agent *a, unsigned type, const void *payload, size_t len)
{
        uint8_t h[THATTE_AGENT_HEADER];

        /* The verbs ignore SIGPIPE: a closed channel is EPIPE here. */
        thatte_agent_header(h, type, (uint32_t)len);
        if (thatte_agent_write_all(a->fd, h, sizeof h) < 0 || thatte_agent_write_all(a->fd, payload, len) < 0)
                return fail(a, -EPIPE, "the agent channel closed");
        return 0;
}

static int recv_by(vmm_agent *a, long long deadline, unsigned *type, uint8_t *buf, uint32_t *len)
{
        uint8_t h[THATTE_AGENT_HEADER];
        const char *why;
        int r = read_by(a, h, sizeof h, deadline);

        if (r == 0 && thatte_agent_parse_header(h, type, len, &why) < 0) {
                snprintf(a->why, sizeof a->why, "the guest sent a bad frame: %s", why);
                return -EPROTO;
        }
        r = r ?: read_by(a, buf, *len, deadline);
        if (r == -ETIMEDOUT)
                return fail(a, r, "the guest agent did not answer in time");
        if (r < 0)
                return fail(a, r, "the agent channel closed (is the VM still running?)");
        buf[*len] = 0;
        if (*type == THATTE_AGENT_ERROR && !thatte_agent_text_ok(buf, *len))
                return fail(a, -EPROTO, "the guest sent an error that is not printable text");
        return 0;
}

int vmm_agent_recv(vmm_agent *a, int timeout_ms, unsigned *type, uint8_t *buf, uint32_t *len)
{
        return recv_by(a, timeout_ms < 0 ? -1 : thatte_now_ms() + timeout_ms, type, buf, len);
}

static int connect_socket(vmm_agent *a, const char *rundir)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int r;

        if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/agent.sock", rundir) >= sizeof sa.sun_path)
                return fail(a, -ENAMETOOLONG, "the runtime folder's name is too long");
        a->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (a->fd < 0)
                return fail(a, -errno, strerror(errno));
        if (connect(a->fd, (struct sockaddr *)&sa, sizeof sa) == 0)
                return 0;
        r = -errno;
        if (r == -ENOENT)
                return fail(a, r, "the VM has no guest agent channel (its profile lacks "
                            "[agent] enabled = true)");
        snprintf(a->why, sizeof a->why, "connecting to %s: %s", sa.sun_path, strerror(-r));
        return r;
}

/* Skips bytes until the guest's HELLO header, then checks its nonce. */
static int await_hello(vmm_agent *a, const uint8_t nonce[8], long long deadline)
{
        static const uint8_t want[] = { 'T', 'A', THATTE_AGENT_HELLO, 0, THATTE_AGENT_HELLO_SIZE, 0, 0, 0 };
        uint8_t b, hello[THATTE_AGENT_HELLO_SIZE];
        size_t matched = 0;
        int r;

        for (;;) {
                while (matched < sizeof want) {
                        r = read_by(a, &b, 1, deadline);
                        if (r < 0)
                                return r;
                        matched = b == want[matched] ? matched + 1 : b == want[0] ? 1 : 0;
                }
                r = read_by(a, hello, sizeof hello, deadline);
                if (r < 0)
                        return r;
                if (memcmp(hello, nonce, 8) == 0)
                        break;
                matched = 0;    /* an answer to someone else's greeting */
        }
        if (thatte_agent_get_u32(hello + 8) != THATTE_AGENT_VERSION)
                return fail(a, -EPROTO, "the guest agent speaks another protocol version");
        return 0;
}

int vmm_agent_open(vmm_agent *a, const char *rundir, int timeout_ms)
{
        long long deadline = thatte_now_ms() + timeout_ms;
        uint8_t hello[THATTE_AGENT_HELLO_SIZE] = { 0 };
        int r;

        a->fd = -1;
        a->why[0] = '\0';
        r = connect_socket(a, rundir);
        if (r < 0)
                return r;
        if (getrandom(hello, 8, 0) != 8)
                return fail(a, -EIO, "no random numbers for the greeting");
        thatte_agent_put_u32(hello + 8, THATTE_AGENT_VERSION);
        r = vmm_agent_send(a, THATTE_AGENT_HELLO, hello, sizeof hello);
        r = r ?: await_hello(a, hello, deadline);
        if (r == -ETIMEDOUT)
                snprintf(a->why, sizeof a->why, "no answer from the guest agent within %d s (is the "
                         "guest still booting, or without thatte-init? is another exec or copy running?)",
                         timeout_ms / 1000);
        else if (r == -EPIPE)
                fail(a, r, "the agent channel closed (is the VM still running?)");
        return r;
}

void vmm_agent_close(vmm_agent *a)
{
        if (a->fd >= 0)
                close(a->fd);
        a->fd = -1;
}
