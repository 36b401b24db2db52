/* vmm/ports.c: host ports of [net] forwards, checked before QEMU starts so
 * a busy one is a clear error naming it, with nothing left running. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ports.h"

/* Binds (and releases) the port as QEMU will: 127.0.0.1, SO_REUSEADDR. */
static int try_bind(const vmm_forward *f)
{
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)f->host_port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int fd, one = 1, r = 0;

        fd = socket(AF_INET, (f->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                r = -errno;
        close(fd);
        return r;
}

int vmm_forwards_free(const vmm_profile *p, char *why, size_t size)
{
        for (size_t i = 0; i < p->n_forwards; i++) {
                const vmm_forward *f = &p->forwards[i];
                int r = try_bind(f);

                if (r < 0) {
                        snprintf(why, size, "host port %s:%u (127.0.0.1) for the forward to guest port %u: %s",
                                 f->udp ? "udp" : "tcp", f->host_port, f->guest_port,
                                 r == -EADDRINUSE ? "already in use" : strerror(-r));
                        return r;
                }
        }
        return 0;
}
