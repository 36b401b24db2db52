/* init-agent.c: the guest side of the agent protocol (docs/guest-agent.md).
 *
 * One host at a time: a session starts with the host's HELLO (found by
 * scanning for its header, so bytes a previous host left behind are
 * skipped), then serves requests until the host disconnects or breaks the
 * protocol; either ends the session and kills a command still running. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driveros/init-agent.h"
#include "driveros/init.h"
#include "thatte-agent.h"

#define PORTS "/sys/class/virtio-ports"

static int send_frame(int fd, unsigned type, const void *payload, size_t len)
{
        uint8_t h[THATTE_AGENT_HEADER];

        thatte_agent_header(h, type, (uint32_t)len);
        return thatte_agent_write_all(fd, h, sizeof h) ?: thatte_agent_write_all(fd, payload, len);
}

/* ERROR "WHAT: REASON", made printable and cut to the protocol's limit. */
static int send_error(int fd, const char *what, const char *reason)
{
        char msg[THATTE_AGENT_MAX_ERROR];
        int n = snprintf(msg, sizeof msg, "%s: %s", what, reason);

        if (n >= (int)sizeof msg)
                n = (int)sizeof msg - 1;
        for (int i = 0; i < n; i++)
                if (msg[i] < 0x20 || msg[i] > 0x7e)
                        msg[i] = '?';
        return send_frame(fd, THATTE_AGENT_ERROR, msg, (size_t)n);
}

/* Logs and tells the host why its frame was refused; the session ends. */
static int refuse(int out, const char *what, const char *why)
{
        init_log("agent: refused %s: %s", what, why);
        (void)send_error(out, what, why);
        return -EPROTO;
}

static int answer_hello(int out, uint8_t *hello)
{
        thatte_agent_put_u32(hello + 8, THATTE_AGENT_VERSION);
        return send_frame(out, THATTE_AGENT_HELLO, hello, THATTE_AGENT_HELLO_SIZE);
}

/* Reads one frame into buf (THATTE_AGENT_MAX_PAYLOAD + 1 bytes; a NUL is
 * put after the payload). A HELLO is a new host that came before this one's
 * going away was noticed: it is answered, and -ECONNRESET ends what the old
 * host had asked for. */
static int recv_frame(int fd, int out, unsigned *type, uint8_t *buf, uint32_t *len)
{
        uint8_t h[THATTE_AGENT_HEADER];
        const char *why;
        int r = thatte_agent_read_all(fd, h, sizeof h);

        if (r < 0)
                return r;
        if (thatte_agent_parse_header(h, type, len, &why) < 0)
                return refuse(out, "a frame", why);
        r = thatte_agent_read_all(fd, buf, *len);
        buf[*len] = 0;
        if (r == 0 && *type == THATTE_AGENT_HELLO)
                return answer_hello(out, buf) ?: -ECONNRESET;
        return r;
}

/* Skips bytes until a HELLO header and its payload; answers it. */
static int handshake(int in, int out, uint8_t *buf)
{
        static const uint8_t want[] = { 'T', 'A', THATTE_AGENT_HELLO, 0, THATTE_AGENT_HELLO_SIZE, 0, 0, 0 };
        size_t matched = 0;

        while (matched < sizeof want) {
                uint8_t b;
                int r = thatte_agent_read_all(in, &b, 1);

                if (r < 0)
                        return r;
                matched = b == want[matched] ? matched + 1 : b == want[0] ? 1 : 0;
        }
        if (thatte_agent_read_all(in, buf, THATTE_AGENT_HELLO_SIZE) < 0)
                return -EPIPE;
        return answer_hello(out, buf);
}

/* ------------------------------------------------------------------ exec */

static pid_t spawn(char **argv, int out[2], int err[2])
{
        pid_t pid;
        int r;

        if (pipe2(out, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(err, O_CLOEXEC) < 0) {
                r = -errno;
                close(out[0]);
                close(out[1]);
                return r;
        }
        pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_RDONLY);

                /* The agent ignores SIGPIPE; the command must not (`yes | head`). */
                init_default_signals();
                (void)setsid();
                if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
                        _exit(126);
                execvp(argv[0], argv);
                dprintf(2, "%s: %s\n", argv[0], strerror(errno));
                _exit(errno == ENOENT ? 127 : 126);
        }
        r = -errno;
        close(out[1]);
        close(err[1]);
        if (pid > 0)
                return pid;
        close(out[0]);          /* no child: no one ever writes them */
        close(err[0]);
        return r;
}

/* Relays the command's output until both pipes close or the host goes. */
static int relay(int in, int out, int fds[2])
{
        uint8_t buf[4096];
        int r = 0;

        while ((fds[0] >= 0 || fds[1] >= 0) && r == 0) {
                struct pollfd p[3] = { { .fd = fds[0], .events = POLLIN }, { .fd = fds[1], .events = POLLIN },
                                       { .fd = in, .events = 0 } };

                if (poll(p, 3, -1) < 0) {
                        r = errno == EINTR ? 0 : -errno;
                        continue;
                }
                if (p[2].revents & (POLLHUP | POLLERR))
                        return -EPIPE;
                for (int i = 0; i < 2 && r == 0; i++) {
                        ssize_t n;

                        if (!p[i].revents)
                                continue;
                        n = read(fds[i], buf, sizeof buf);
                        if (n > 0) {
                                r = send_frame(out, i ? THATTE_AGENT_STDERR : THATTE_AGENT_STDOUT, buf, (size_t)n);
                        } else if (n == 0 || errno != EINTR) {
                                close(fds[i]);
                                fds[i] = -1;
                        }
                }
        }
        return r;
}

static int do_exec(int in, int out, uint8_t *buf, uint32_t len)
{
        char *argv[THATTE_AGENT_MAX_ARGS + 1];
        int o[2], e[2], fds[2], status, r;
        uint8_t code[4];
        const char *why;
        pid_t pid;

        if (thatte_agent_parse_argv((char *)buf, len, argv, THATTE_AGENT_MAX_ARGS + 1, &why) < 0)
                return refuse(out, "exec", why);
        pid = spawn(argv, o, e);
        if (pid < 0)
                return send_error(out, "exec", strerror((int)-pid));
        fds[0] = o[0];
        fds[1] = e[0];
        r = relay(in, out, fds);
        if (r < 0)
                (void)kill(-pid, SIGKILL);      /* the host is gone: so is its command */
        for (int i = 0; i < 2; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (r < 0)
                return r;
        thatte_agent_put_u32(code, WIFEXITED(status) ? (uint32_t)WEXITSTATUS(status) :
                                                     128 + (uint32_t)WTERMSIG(status));
        return send_frame(out, THATTE_AGENT_EXIT, code, sizeof code);
}

/* ------------------------------------------------------------ put, get */

/* Receives DATA frames into fd (-1: discard) until END. */
static int receive_file(int in, int out, int fd, uint8_t *buf, int *err)
{
        unsigned long long total = 0;
        unsigned type;
        uint32_t len;
        int r;

        for (;;) {
                r = recv_frame(in, out, &type, buf, &len);
                if (r < 0)
                        return r;
                if (type == THATTE_AGENT_END)
                        return 0;
                if (type != THATTE_AGENT_DATA)
                        return refuse(out, "a frame", "not DATA or END during a copy");
                total += len;
                if (!*err && total > THATTE_AGENT_MAX_FILE)
                        *err = EFBIG;
                if (!*err && fd >= 0 && thatte_agent_write_all(fd, buf, len) < 0)
                        *err = errno ? errno : EIO;
        }
}

static int do_put(int in, int out, uint8_t *buf, uint32_t len)
{
        char path[THATTE_AGENT_MAX_PATH + 1], tmp[THATTE_AGENT_MAX_PATH + 32];
        mode_t mode = thatte_agent_get_u32(buf) & 07777;
        const char *why;
        int fd = -1, err = 0, r;

        if (!thatte_agent_path_ok((char *)buf + 4, len - 4, &why))
                return refuse(out, "put", why);
        memcpy(path, buf + 4, len - 4);        /* path_ok: at most MAX_PATH and its NUL */
        memcpy(tmp, path, len - 5);
        memcpy(tmp + len - 5, ".thatte-agent-XXXXXX", sizeof(".thatte-agent-XXXXXX"));
        fd = mkstemp(tmp);
        if (fd < 0)
                err = errno;
        r = receive_file(in, out, fd, buf, &err);
        if (r < 0 && !err)
                err = EPIPE;    /* cut short: nothing half-written goes into place */
        if (fd >= 0) {
                if (!err && (fchmod(fd, mode) < 0 || fsync(fd) < 0))
                        err = errno;
                if (close(fd) < 0 && !err)
                        err = errno;
                if (!err && rename(tmp, path) < 0)
                        err = errno;
                if (err)
                        (void)unlink(tmp);
        }
        if (r < 0)
                return r;
        if (err)
                return send_error(out, path, strerror(err));
        return send_frame(out, THATTE_AGENT_OK, NULL, 0);
}

static int do_get(int out, uint8_t *buf, uint32_t len)
{
        const char *why;
        struct stat st;
        ssize_t n;
        int fd, r = 0, e = 0;

        if (!thatte_agent_path_ok((char *)buf, len, &why))
                return refuse(out, "get", why);
        fd = open((char *)buf, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return send_error(out, (char *)buf, strerror(errno));
        if (fstat(fd, &st) < 0)
                e = errno;
        else if (!S_ISREG(st.st_mode))
                e = EISDIR;     /* or a device, FIFO...: nothing with an end to copy */
        else if ((unsigned long long)st.st_size > THATTE_AGENT_MAX_FILE)
                e = EFBIG;
        if (e) {
                close(fd);
                return send_error(out, (char *)buf, e == EISDIR ? "not a regular file" : strerror(e));
        }
        while (r == 0 && (n = read(fd, buf, THATTE_AGENT_MAX_PAYLOAD)) > 0)
                r = send_frame(out, THATTE_AGENT_DATA, buf, (size_t)n);
        close(fd);
        return r ?: send_frame(out, THATTE_AGENT_END, NULL, 0);
}

int init_agent_session(int in, int out)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        unsigned type;
        uint32_t len;
        int r = handshake(in, out, buf);

        while (r == 0 || r == -ECONNRESET) {
                r = recv_frame(in, out, &type, buf, &len);
                if (r < 0)
                        continue;
                if (type == THATTE_AGENT_EXEC)
                        r = do_exec(in, out, buf, len);
                else if (type == THATTE_AGENT_PUT)
                        r = do_put(in, out, buf, len);
                else if (type == THATTE_AGENT_GET)
                        r = do_get(out, buf, len);
                else
                        r = refuse(out, "a frame", "not a request (EXEC, PUT or GET)");
        }
        return r;
}

/* ------------------------------------------------------------- the port */

/* /dev/vportNpM of the port named THATTE_AGENT_PORT (no udev here to make
 * /dev/virtio-ports/NAME). */
static int find_port(char *dev, size_t size)
{
        struct dirent *d;
        DIR *dir = opendir(PORTS);
        int r = -ENOENT;

        if (!dir)
                return -errno;
        while (r < 0 && (d = readdir(dir))) {
                char path[512], name[64] = "";
                FILE *f;

                if (d->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof path, PORTS "/%s/name", d->d_name);
                f = fopen(path, "re");
                if (!f)
                        continue;
                if (fgets(name, sizeof name, f) && !strcmp(name, THATTE_AGENT_PORT "\n")) {
                        snprintf(dev, size, "/dev/%s", d->d_name);
                        r = 0;
                }
                fclose(f);
        }
        closedir(dir);
        return r;
}

int init_agent_main(void)
{
        char dev[300];
        int fd, tries = 0;

        /* Ports appear when the host announces them, after the module loaded;
         * a VM without the port gets no agent, and no restarts either. */
        while (find_port(dev, sizeof dev) < 0) {
                if (++tries == 60) {
                        init_log("agent: no virtio-serial port named %s; not serving", THATTE_AGENT_PORT);
                        for (;;)
                                pause();
                }
                sleep(1);
        }
        fd = open(dev, O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                init_log("agent: opening %s failed: %m", dev);
                return 1;
        }
        signal(SIGPIPE, SIG_IGN);
        init_log("agent: serving %s on %s", THATTE_AGENT_PORT, dev);
        for (;;) {
                int r = init_agent_session(fd, fd);

                /* Without a host the port reads EOF at once: wait a little. */
                if (r == -EPIPE)
                        usleep(200000);
        }
}
