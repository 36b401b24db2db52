/* vmm/verb-log.c: `log NAME [--follow]`: the serial log of the VM's last
 * (or current) run, kept in its state folder after it stops; --follow
 * goes on printing what the guest writes until the VM ends. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "thatte-agent.h"
#include "vmm.h"

/* Copies what fd has left to stdout; returns -1 when stdout is gone. */
static int drain(int fd)
{
        char buf[65536];
        ssize_t n;

        while ((n = read(fd, buf, sizeof(buf))) > 0)
                if (thatte_agent_write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
                        return -1;
        return 0;
}

static bool still_running(const char *name)
{
        vmm_vm vm;

        return vmm_vm_inspect(name, &vm) == 0 &&
               (vm.state == VMM_STATE_RUNNING || vm.state == VMM_STATE_PAUSED);
}

int vmm_verb_log(const vmm_cmd *c)
{
        char name[VMM_NAME_MAX + 1], dir[4096], path[4200];
        int fd, r;

        r = vmm_cli_known(c, name, sizeof(name));
        if (r != VMM_EXIT_OK)
                return r;
        if (vmm_state_dir(name, dir, sizeof(dir)) < 0) {
                vmm_err("no state folder: neither XDG_STATE_HOME nor HOME is set");
                return VMM_EXIT_FAIL;
        }
        snprintf(path, sizeof(path), "%s/serial.log", dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                vmm_err("VM '%s' has no serial log (%s: %s)", name, path, strerror(errno));
                return VMM_EXIT_FAIL;
        }
        r = drain(fd);
        while (r == 0 && c->follow && still_running(name)) {
                usleep(200000);
                r = drain(fd);
        }
        close(fd);
        return VMM_EXIT_OK;
}
