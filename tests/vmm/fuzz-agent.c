/* tests/vmm/fuzz-agent.c: libFuzzer target for what a guest agent sends
 * thatte-vmm (docs/guest-agent.md): the input is the byte stream of the
 * virtio-serial channel, read frame by frame with vmm_agent_recv; each
 * payload also goes through the codec's argv, path and text checks (what
 * the guest applies to the host's frames). Any crash, leak, overflow or
 * undefined behaviour the sanitizers see is a finding. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        vmm_agent a = { .fd = -1 };
        const char *why;
        char *argv[THATTE_AGENT_MAX_ARGS + 1];
        unsigned type;
        uint32_t len;
        int sv[2];

        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
                return 0;
        /* -max_len 4096 keeps the input within the socket's buffer. */
        if (write(sv[1], data, size) != (ssize_t)size) {
                close(sv[0]);
                close(sv[1]);
                return 0;
        }
        close(sv[1]);
        a.fd = sv[0];
        while (vmm_agent_recv(&a, -1, &type, buf, &len) == 0) {
                (void)thatte_agent_parse_argv((char *)buf, len, argv, THATTE_AGENT_MAX_ARGS + 1, &why);
                (void)thatte_agent_path_ok((char *)buf, len, &why);
                (void)thatte_agent_text_ok(buf, len);
        }
        vmm_agent_close(&a);
        return 0;
}
