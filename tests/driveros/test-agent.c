/* tests/driveros/test-agent.c: the guest agent protocol (docs/guest-agent.md):
 * the shared codec (headers, argv, paths, error text), then thatte-init's
 * session over a socketpair: a well-behaved host (exec with output and
 * status, put, get) and hostile ones (oversized, unknown, misplaced and
 * truncated frames, bad argv and paths), each refused with an ERROR frame
 * and the end of the session. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driveros/init-agent.h"
#include "tests/tap.h"
#include "thatte-agent.h"

static const char *why;

static int header_ok(uint8_t a, uint8_t b, unsigned type, uint8_t reserved, uint32_t len)
{
        uint8_t h[8] = { a, b, (uint8_t)type, reserved };
        unsigned t;
        uint32_t l;

        thatte_agent_put_u32(h + 4, len);
        return thatte_agent_parse_header(h, &t, &l, &why) == 0 && t == type && l == len;
}

static void test_headers(void)
{
        ok(header_ok('T', 'A', THATTE_AGENT_DATA, 0, 65536), "DATA of 64 KiB");
        ok(!header_ok('T', 'A', THATTE_AGENT_DATA, 0, 65537), "DATA over 64 KiB refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_DATA, 0, 0xffffffff), "a 4 GiB length refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_DATA, 0, 0), "empty DATA refused");
        ok(!header_ok('X', 'A', THATTE_AGENT_DATA, 0, 1), "bad magic refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_DATA, 1, 1), "reserved byte set refused");
        ok(!header_ok('T', 'A', 0, 0, 1), "type 0 refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_TYPE_MAX + 1, 0, 1), "unknown type refused");
        ok(header_ok('T', 'A', THATTE_AGENT_HELLO, 0, 12), "HELLO of 12 bytes");
        ok(!header_ok('T', 'A', THATTE_AGENT_HELLO, 0, 13), "HELLO of 13 refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_EXIT, 0, 3), "EXIT of 3 refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_END, 0, 1), "END with a payload refused");
        ok(!header_ok('T', 'A', THATTE_AGENT_PUT, 0, 5), "PUT too short for mode and path refused");
}

static int argc_of(const char *p, size_t n)
{
        char *argv[8];

        return thatte_agent_parse_argv(p, n, argv, 8, &why);
}

static void test_argv_paths(void)
{
        is_int(argc_of("ls\0-l\0", 6), 2, "argv of two");
        is_int(argc_of("ls\0-l", 5), -EPROTO, "argv without a final NUL refused");
        is_int(argc_of("ls\0\0-l\0", 7), -EPROTO, "an empty argument refused");
        is_int(argc_of("a\0b\0c\0d\0e\0f\0g\0h\0", 16), -EPROTO, "more arguments than room refused");
        ok(thatte_agent_path_ok("/tmp/x", 7, &why), "absolute path");
        ok(thatte_agent_path_ok("/", 2, &why), "the root");
        ok(!thatte_agent_path_ok("tmp/x", 6, &why), "relative path refused");
        ok(!thatte_agent_path_ok("/tmp/../etc", 12, &why), "'..' refused");
        ok(!thatte_agent_path_ok("/tmp/./x", 9, &why), "'.' refused");
        ok(!thatte_agent_path_ok("/tmp//x", 8, &why), "'//' refused");
        ok(!thatte_agent_path_ok("/tmp/", 6, &why), "a trailing '/' refused");
        ok(!thatte_agent_path_ok("/tmp\n", 6, &why), "a control character refused");
        ok(!thatte_agent_path_ok("/a\0b", 5, &why), "a NUL inside refused");
        ok(!thatte_agent_path_ok("/tmp/x", 6, &why), "no final NUL refused");
        ok(thatte_agent_path_ok("/.hidden..x", 12, &why), "dots inside a name are fine");
        ok(thatte_agent_text_ok((const uint8_t *)"no such file", 12), "printable error text");
        ok(!thatte_agent_text_ok((const uint8_t *)"\033[2J", 4), "escape sequences refused");
        ok(!thatte_agent_text_ok((const uint8_t *)"", 0), "empty error refused");
}

/* ---------------------------------------------------- a session under test */

static int host = -1;
static pid_t guest;

static void session_start(void)
{
        int sv[2];

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                exit(99);
        guest = fork();
        if (guest == 0) {
                sigset_t term;

                /* As in thatte-init: SIGPIPE ignored, signals blocked. */
                signal(SIGPIPE, SIG_IGN);
                sigemptyset(&term);
                sigaddset(&term, SIGTERM);
                sigprocmask(SIG_BLOCK, &term, NULL);
                close(sv[0]);
                _exit(init_agent_session(sv[1], sv[1]) == -EPROTO ? 3 : 0);
        }
        close(sv[1]);
        host = sv[0];
}

/* The session's end: 3 when it ended on a protocol error. */
static int session_end(void)
{
        int status;

        close(host);
        waitpid(guest, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void send_raw(const void *p, size_t n)
{
        if (write(host, p, n) != (ssize_t)n)
                exit(99);
}

static void send_frame(unsigned type, const void *p, size_t n)
{
        uint8_t h[8];

        thatte_agent_header(h, type, (uint32_t)n);
        send_raw(h, 8);
        send_raw(p, n);
}

/* Reads one frame; returns its type, or -1 at EOF. */
static int recv_frame(uint8_t *buf, uint32_t *len)
{
        uint8_t h[8];
        unsigned type;

        if (recv(host, h, 8, MSG_WAITALL) != 8 || thatte_agent_parse_header(h, &type, len, &why) < 0)
                return -1;
        if (*len && recv(host, buf, *len, MSG_WAITALL) != (ssize_t)*len)
                return -1;
        buf[*len] = 0;
        return (int)type;
}

/* Greets the guest; stale bytes first (skipped while it looks for HELLO)
 * unless in the middle of a session. */
static void greet(bool stale)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        uint8_t hi[12] = "noncenon";
        uint32_t len;

        if (stale)
                send_raw("garbage left over", 17);
        send_frame(THATTE_AGENT_HELLO, hi, 12);
        ok(recv_frame(buf, &len) == THATTE_AGENT_HELLO && !memcmp(buf, hi, 8) &&
           thatte_agent_get_u32(buf + 8) == THATTE_AGENT_VERSION, "HELLO answered with the nonce and version");
}

static void hello(void)
{
        greet(true);
}

/* A hostile frame after HELLO must be answered by ERROR and end the session. */
static void refused(const char *name, unsigned type, const void *p, size_t n, bool raw)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        uint32_t len;

        session_start();
        hello();
        if (raw)
                send_raw(p, n);
        else
                send_frame(type, p, n);
        ok(recv_frame(buf, &len) == THATTE_AGENT_ERROR, "%s: answered by ERROR", name);
        tap_diag("%s", (char *)buf);
        is_int(session_end(), 3, "%s: the session ended on it", name);
}

static void test_hostile(void)
{
        uint8_t big[8] = { 'T', 'A', THATTE_AGENT_EXEC, 0, 0x01, 0x00, 0x01, 0x00 };
        uint8_t put[12] = { 0xa4, 0x01, 0, 0, '/', 't', 'm', 'p', '/', 'x', 0 };

        refused("a 64 KiB + 1 frame", 0, big, 8, true);
        refused("an unknown type", 0, (uint8_t[]){ 'T', 'A', 77, 0, 1, 0, 0, 0, 'x' }, 9, true);
        refused("DATA outside a copy", THATTE_AGENT_DATA, "x", 1, false);
        refused("exec with an empty argument", THATTE_AGENT_EXEC, "ls\0\0", 4, false);
        refused("exec without the final NUL", THATTE_AGENT_EXEC, "ls", 2, false);
        refused("get of a relative path", THATTE_AGENT_GET, "etc/passwd", 11, false);
        refused("get with '..'", THATTE_AGENT_GET, "/tmp/../etc/shadow", 19, false);
        refused("put with a control character", THATTE_AGENT_PUT, (uint8_t[]){ 0, 0, 0, 0, '/', '\n', 0 }, 7, false);
        session_start();
        hello();
        send_frame(THATTE_AGENT_PUT, put, 11);
        send_frame(THATTE_AGENT_EXEC, "ls", 3);   /* not DATA or END */
        {
                static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
                uint32_t len;

                ok(recv_frame(buf, &len) == THATTE_AGENT_ERROR, "a request in the middle of a put: ERROR");
        }
        is_int(session_end(), 3, "... and the end of the session");
        session_start();
        hello();
        send_raw(big, 5);                               /* a truncated header, then EOF */
        is_int(session_end(), 0, "a truncated frame ends the session quietly (the host is gone)");
        session_start();
        hello();
        greet(false);   /* a new host before the old one's going was noticed */
        is_int(session_end(), 0, "... and a second HELLO is answered in the same session");
}

/* ------------------------------------------------- a well-behaved host */

/* Runs argv (NUL-separated) in the guest; its stdout into out. Returns the
 * exit status, or -1. */
static int run(const char *argv, size_t n, char *out, size_t size)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        size_t have = 0;
        uint32_t len;
        int type;

        send_frame(THATTE_AGENT_EXEC, argv, n);
        while ((type = recv_frame(buf, &len)) == THATTE_AGENT_STDOUT || type == THATTE_AGENT_STDERR)
                if (type == THATTE_AGENT_STDOUT && have + len < size) {
                        memcpy(out + have, buf, len);
                        have += len;
                }
        out[have] = 0;
        return type == THATTE_AGENT_EXIT ? (int)thatte_agent_get_u32(buf) : -1;
}

/* The signals 1-31 of a /proc/PID/status mask line ("SigIgn:\tHEX"), or
 * -1 when absent. glibc keeps 32 and 33 for itself: signal() cannot
 * reset what a parent left on them, and no command relies on those. */
static long long standard_signals(const char *status, const char *field)
{
        const char *at = strstr(status, field);

        return at ? (long long)(strtoull(at + strlen(field), NULL, 16) & 0x7fffffffull) : -1;
}

/* What the agent ignores or blocks is none of the command's business. */
static void test_exec_signals(void)
{
        static const char cmd[] = "grep\0^Sig[IB][gl][nk]:\0/proc/self/status\0";
        char out[256];

        session_start();
        hello();
        is_int(run(cmd, sizeof cmd - 1, out, sizeof out), 0, "exec: the command's signal state read");
        ok(standard_signals(out, "SigBlk:") == 0, "exec: the command starts with no signal blocked");
        ok(standard_signals(out, "SigIgn:") == 0, "exec: ... and none ignored (SIGPIPE kills it)");
        tap_diag("%s", out);
        is_int(session_end(), 0, "the session ends with the host");
}

static void test_exec(void)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        static const char cmd[] = "/bin/sh\0-c\0echo out; echo err >&2; exit 7\0";
        char out[64] = "", err[64] = "";
        int type, status = -1;
        uint32_t len;

        session_start();
        hello();
        send_frame(THATTE_AGENT_EXEC, cmd, sizeof cmd - 1);
        while ((type = recv_frame(buf, &len)) == THATTE_AGENT_STDOUT || type == THATTE_AGENT_STDERR)
        {
                char *to = type == THATTE_AGENT_STDOUT ? out : err;
                size_t have = strlen(to);

                snprintf(to + have, sizeof out - have, "%.*s", (int)len, (char *)buf);
        }
        if (type == THATTE_AGENT_EXIT)
                status = (int)thatte_agent_get_u32(buf);
        ok(!strcmp(out, "out\n"), "exec: stdout relayed");
        ok(!strcmp(err, "err\n"), "exec: stderr relayed");
        is_int(status, 7, "exec: exit status");
        send_frame(THATTE_AGENT_EXEC, "no-such-program-here", 21);
        while ((type = recv_frame(buf, &len)) == THATTE_AGENT_STDERR)
                ;
        is_int(type == THATTE_AGENT_EXIT ? (int)thatte_agent_get_u32(buf) : -1, 127,
               "exec of a missing program: 127, in the same session");
        is_int(session_end(), 0, "the host closing ends the session");
}

static void test_put_get(void)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        char dir[] = "/tmp/thatte-agent-test.XXXXXX", path[64];
        uint8_t put[80];
        struct stat st;
        uint32_t len;
        int type;

        if (!mkdtemp(dir))
                exit(99);
        snprintf(path, sizeof path, "%s/f", dir);
        thatte_agent_put_u32(put, 0640);
        memcpy(put + 4, path, strlen(path) + 1);
        session_start();
        hello();
        send_frame(THATTE_AGENT_PUT, put, 4 + strlen(path) + 1);
        send_frame(THATTE_AGENT_DATA, "hello ", 6);
        send_frame(THATTE_AGENT_DATA, "guest\n", 6);
        send_frame(THATTE_AGENT_END, NULL, 0);
        is_int(recv_frame(buf, &len), THATTE_AGENT_OK, "put: OK");
        ok(stat(path, &st) == 0 && st.st_size == 12 && (st.st_mode & 0777) == 0640, "put: the file, its mode");
        send_frame(THATTE_AGENT_GET, path, strlen(path) + 1);
        type = recv_frame(buf, &len);
        ok(type == THATTE_AGENT_DATA && len == 12 && !memcmp(buf, "hello guest\n", 12), "get: the data");
        is_int(recv_frame(buf, &len), THATTE_AGENT_END, "get: END");
        send_frame(THATTE_AGENT_GET, dir, strlen(dir) + 1);
        ok(recv_frame(buf, &len) == THATTE_AGENT_ERROR && strstr((char *)buf, "not a regular file"),
           "get of a folder: ERROR");
        snprintf(path, sizeof path, "%s/none/f", dir);
        memcpy(put + 4, path, strlen(path) + 1);
        send_frame(THATTE_AGENT_PUT, put, 4 + strlen(path) + 1);
        send_frame(THATTE_AGENT_DATA, "x", 1);
        send_frame(THATTE_AGENT_END, NULL, 0);
        ok(recv_frame(buf, &len) == THATTE_AGENT_ERROR && strstr((char *)buf, "No such file"),
           "put into a missing folder: ERROR after END");
        is_int(session_end(), 0, "session ends with the host");
        snprintf(path, sizeof path, "%s/half", dir);
        memcpy(put + 4, path, strlen(path) + 1);
        session_start();
        hello();
        send_frame(THATTE_AGENT_PUT, put, 4 + strlen(path) + 1);
        send_frame(THATTE_AGENT_DATA, "half", 4);
        is_int(session_end(), 0, "a put cut short ends the session quietly");
        ok(access(path, F_OK) < 0, "... and puts nothing in place");
        snprintf(path, sizeof path, "%s/f", dir);
        unlink(path);
        ok(rmdir(dir) == 0, "no temporary file left behind");
}

int main(void)
{
        test_headers();
        test_argv_paths();
        test_hostile();
        test_exec();
        test_exec_signals();
        test_put_get();
        return tap_done();
}
