/* vmm/verb-console.c: `console NAME`: the serial port on this terminal,
 * raw, until Ctrl-] or the VM's end. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "serial.h"
#include "vmm.h"

#define DETACH_KEY 0x1d  /* Ctrl-] */

/* Forwards stdin to the socket; returns 1 when the user detached. */
static int forward_input(int sock, int raw)
{
        char buf[256];
        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

        if (n <= 0)
                return n == 0 ? -1 : 0;
        if (raw && memchr(buf, DETACH_KEY, (size_t)n))
                return 1;
        return write(sock, buf, (size_t)n) == n ? 0 : -1;
}

static void relay(int sock, int raw)
{
        struct pollfd p[2] = { { .fd = sock, .events = POLLIN }, { .fd = STDIN_FILENO, .events = POLLIN } };

        for (;;) {
                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return;
                }
                if (p[0].revents && vmm_copy_once(sock, STDOUT_FILENO) <= 0)
                        return;
                if (p[1].revents) {
                        int r = forward_input(sock, raw);

                        if (r > 0)
                                return;
                        if (r < 0)
                                p[1].fd = -1;   /* stdin ended: keep showing output */
                }
        }
}

int vmm_verb_console(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1];
        struct termios saved, raw;
        int sock, lock, tty, r;
        vmm_profile *p;
        vmm_vm vm;

        r = vmm_cli_name(c, name, sizeof(name), &p);
        vmm_profile_free(p);
        if (r != VMM_EXIT_OK)
                return r;
        if (vmm_vm_inspect(name, &vm) < 0 || vm.state != VMM_STATE_RUNNING) {
                vmm_err("VM '%s' is not running", name);
                return VMM_EXIT_FAIL;
        }
        r = vmm_serial_attach(&vm, &sock, &lock);
        if (r < 0) {
                vmm_err("attaching to the serial port of '%s': %s", name,
                        r == -EBUSY ? "another console is attached" : strerror(-r));
                return VMM_EXIT_FAIL;
        }
        tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
        if (tty) {
                raw = saved;
                cfmakeraw(&raw);
                (void)tcsetattr(STDIN_FILENO, TCSANOW, &raw);
                fprintf(stderr, "Connected to %s; Ctrl-] detaches.\r\n", name);
        }
        relay(sock, tty);
        if (tty)
                (void)tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        close(sock);
        close(lock);
        return VMM_EXIT_OK;
}
