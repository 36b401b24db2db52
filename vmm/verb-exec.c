/* vmm/verb-exec.c: `exec NAME -- CMD ARG...`: runs a command in the guest
 * through its agent (docs/guest-agent.md) and passes its output and exit
 * status on; 125 when the command could not be run at all. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "vmm.h"

#define EXEC_FAILED 125

/* The EXEC payload: each argument with its NUL. Returns its size, or 0. */
static size_t pack_argv(char *const *argv, int argc, char *buf, size_t size)
{
        size_t n = 0;

        for (int i = 0; i < argc; i++) {
                size_t l = strlen(argv[i]) + 1;

                if (l == 1 || n + l > size) {
                        vmm_err("exec: %s", l == 1 ? "an empty argument" : "the command line is longer than 64 KiB");
                        return 0;
                }
                memcpy(buf + n, argv[i], l);
                n += l;
        }
        return n;
}

/* Output frames until EXIT; returns the command's status or EXEC_FAILED. */
static int relay(vmm_agent *a, uint8_t *buf)
{
        unsigned type;
        uint32_t len;

        for (;;) {
                if (vmm_agent_recv(a, -1, &type, buf, &len) < 0) {
                        vmm_err("exec: %s", a->why);
                        return EXEC_FAILED;
                }
                if (type == THATTE_AGENT_STDOUT || type == THATTE_AGENT_STDERR) {
                        /* A closed stdout (| head) ends nothing: the guest's
                         * command decides when it is done. */
                        (void)thatte_agent_write_all(type == THATTE_AGENT_STDOUT ? STDOUT_FILENO : STDERR_FILENO, buf, len);
                } else if (type == THATTE_AGENT_EXIT) {
                        uint32_t status = thatte_agent_get_u32(buf);

                        if (status <= 255)
                                return (int)status;
                        vmm_err("exec: the guest sent an exit status out of range (%u)", status);
                        return EXEC_FAILED;
                } else if (type == THATTE_AGENT_ERROR) {
                        vmm_err("exec: guest: %s", (char *)buf);
                        return EXEC_FAILED;
                } else {
                        vmm_err("exec: the guest sent a frame of type %u during exec", type);
                        return EXEC_FAILED;
                }
        }
}

int vmm_verb_exec(const vmm_cmd *c)
{
        static uint8_t buf[THATTE_AGENT_MAX_PAYLOAD + 1];
        vmm_agent a;
        size_t n;
        int r;

        signal(SIGPIPE, SIG_IGN);       /* a closed stdout or channel: EPIPE */
        if (c->argc < 1) {
                vmm_err("exec needs a command after the VM name: exec NAME -- COMMAND [ARG]...");
                return VMM_EXIT_USAGE;
        }
        n = pack_argv(c->argv, c->argc, (char *)buf, THATTE_AGENT_MAX_PAYLOAD);
        if (n == 0 || c->argc > THATTE_AGENT_MAX_ARGS) {
                if (n)
                        vmm_err("exec: more than %d arguments", THATTE_AGENT_MAX_ARGS);
                return VMM_EXIT_USAGE;
        }
        if (vmm_cli_agent(c, "exec on", c->target, &a) < 0)
                return EXEC_FAILED;
        if (vmm_agent_send(&a, THATTE_AGENT_EXEC, buf, n) < 0) {
                vmm_err("exec: %s", a.why);
                r = EXEC_FAILED;
        } else {
                r = relay(&a, buf);
        }
        vmm_agent_close(&a);
        return r;
}
