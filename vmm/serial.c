/* vmm/serial.c: the serial socket and the one-client console lock. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "serial.h"

/* An exclusive flock on path, without waiting: -EBUSY when held. */
static int lock_path(const char *path, bool create, int *ret_lock)
{
        int lock = open(path, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW, 0600);

        if (lock < 0)
                return -errno;
        if (flock(lock, LOCK_EX | LOCK_NB) < 0) {
                int e = errno;

                close(lock);
                return e == EWOULDBLOCK ? -EBUSY : -e;
        }
        *ret_lock = lock;
        return 0;
}

int vmm_client_lock(const vmm_vm *vm, const char *file, bool create, int *ret_lock)
{
        char path[4200];

        vmm_vm_path(vm, file, path, sizeof(path));
        return lock_path(path, create, ret_lock);
}

int vmm_serial_attach(const vmm_vm *vm, int *ret_sock, int *ret_lock)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char log[4200];
        int lock, sock, r;

        /* The log in the state folder: RUNDIR/serial.log is a symbolic link. */
        vmm_vm_log_path(vm, log, sizeof(log));
        r = lock_path(log, false, &lock);
        if (r < 0)
                return r;
        vmm_vm_path(vm, "serial.sock", sa.sun_path, sizeof(sa.sun_path));
        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;

                if (sock >= 0)
                        close(sock);
                close(lock);
                return -e;
        }
        *ret_sock = sock;
        *ret_lock = lock;
        return 0;
}

ssize_t vmm_copy_once(int in, int out)
{
        char buf[4096];
        ssize_t n;

        do
                n = read(in, buf, sizeof(buf));
        while (n < 0 && errno == EINTR);
        if (n <= 0)
                return n < 0 ? -errno : 0;
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(out, buf + off, (size_t)(n - off));

                if (w < 0 && errno != EINTR)
                        return -errno;
                off += w > 0 ? w : 0;
        }
        return n;
}
