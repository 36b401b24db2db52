/* tests/vmm/test-agent-host.c: thatte-vmm's side of the guest agent
 * protocol against a hostile guest: a fake agent on agent.sock answers the
 * greeting with stale bytes, someone else's nonce, another version, or not
 * at all, then sends bad magic, oversized frames, terminal escapes in an
 * ERROR, and a frame cut short. Each must be refused, never trusted. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/tap.h"
#include "vmm/agent.h"

static char dir[] = "/tmp/thatte-agent-host.XXXXXX";

enum hello_kind { HELLO_RIGHT, HELLO_SILENT, HELLO_OTHER_VERSION };

/* A fake guest: accepts one connection, answers the HELLO as told, then
 * writes `after` (n bytes) and closes. */
static pid_t fake_guest(enum hello_kind kind, const void *after, size_t n)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int ls = socket(AF_UNIX, SOCK_STREAM, 0);
        pid_t pid;

        snprintf(sa.sun_path, sizeof sa.sun_path, "%s/agent.sock", dir);
        unlink(sa.sun_path);
        if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 1) < 0)
                exit(99);
        pid = fork();
        if (pid == 0) {
                uint8_t in[20], out[20];
                int c = accept(ls, NULL, NULL);

                if (c < 0 || recv(c, in, 20, MSG_WAITALL) != 20)
                        _exit(1);
                if (kind == HELLO_SILENT) {
                        sleep(3);
                        _exit(0);
                }
                (void)!write(c, "stale bytes TA", 14);          /* skipped */
                memcpy(out, in, 20);
                out[8] ^= 1;                                    /* another nonce: skipped */
                (void)!write(c, out, 20);
                memcpy(out, in, 20);
                if (kind == HELLO_OTHER_VERSION)
                        thatte_agent_put_u32(out + 16, 99);
                (void)!write(c, out, 20);
                (void)!write(c, after, n);
                close(c);
                _exit(0);
        }
        close(ls);
        return pid;
}

static int reap(pid_t pid)
{
        int status;

        waitpid(pid, &status, 0);
        return status;
}

/* Greets the fake guest, then receives one frame; returns recv's result. */
static int after_hello(const void *bytes, size_t n, int *ret_type)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        pid_t pid = fake_guest(HELLO_RIGHT, bytes, n);
        unsigned type = 0;
        vmm_agent a;
        uint32_t len;
        int r = vmm_agent_open(&a, dir, 5000);

        if (r == 0) {
                r = vmm_agent_recv(&a, 5000, &type, buf, &len);
                if (r < 0)
                        tap_diag("%s", a.why);
        }
        vmm_agent_close(&a);
        reap(pid);
        *ret_type = (int)type;
        return r;
}

int main(void)
{
        uint8_t frame[16] = { 'T', 'A', THATTE_AGENT_STDOUT, 0, 2, 0, 0, 0, 'h', 'i' };
        vmm_agent a;
        int type;
        pid_t pid;

        if (!mkdtemp(dir))
                return 99;
        is_int(vmm_agent_open(&a, dir, 1000), -ENOENT, "no agent.sock: -ENOENT");
        ok(strstr(a.why, "[agent] enabled"), "... saying what the profile lacks");
        vmm_agent_close(&a);

        is_int(after_hello(frame, 10, &type), 0, "stale bytes and another nonce skipped, a frame read");
        is_int(type, THATTE_AGENT_STDOUT, "... of the type sent");

        pid = fake_guest(HELLO_SILENT, NULL, 0);
        is_int(vmm_agent_open(&a, dir, 500), -ETIMEDOUT, "a silent guest: -ETIMEDOUT");
        ok(strstr(a.why, "no answer"), "... saying so");
        vmm_agent_close(&a);
        kill(pid, SIGKILL);
        reap(pid);

        pid = fake_guest(HELLO_OTHER_VERSION, NULL, 0);
        is_int(vmm_agent_open(&a, dir, 5000), -EPROTO, "another protocol version refused");
        vmm_agent_close(&a);
        reap(pid);

        frame[0] = 'X';
        is_int(after_hello(frame, 10, &type), -EPROTO, "bad magic refused");
        frame[0] = 'T';
        frame[6] = 2;           /* 128 KiB + 2 */
        is_int(after_hello(frame, 10, &type), -EPROTO, "a frame over 64 KiB refused");
        frame[6] = 0;
        frame[2] = 200;
        is_int(after_hello(frame, 10, &type), -EPROTO, "an unknown type refused");
        memcpy(frame, (uint8_t[]){ 'T', 'A', THATTE_AGENT_ERROR, 0, 4, 0, 0, 0, 0x1b, '[', '2', 'J' }, 12);
        is_int(after_hello(frame, 12, &type), -EPROTO, "an ERROR with a terminal escape refused");
        memcpy(frame, (uint8_t[]){ 'T', 'A', THATTE_AGENT_STDOUT, 0, 9, 0, 0, 0, 'h', 'i' }, 10);
        is_int(after_hello(frame, 10, &type), -EPIPE, "a frame cut short: the channel closed");
        is_int(after_hello(frame, 5, &type), -EPIPE, "a header cut short: the channel closed");

        {
                char path[64];

                snprintf(path, sizeof path, "%s/agent.sock", dir);
                unlink(path);
                rmdir(dir);
        }
        return tap_done();
}
