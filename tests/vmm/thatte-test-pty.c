/* tests/vmm/thatte-test-pty.c: runs a command on a pseudo-terminal, as if
 * typed in an interactive shell, and presses Ctrl-C once a given text has
 * appeared in its output (the terminal's line discipline then sends SIGINT
 * to the command's process group, exactly as for a user).
 *
 * Usage: thatte-test-pty --wait-for TEXT [--interrupts N] [--timeout S] -- COMMAND [ARG]...
 * With --interrupts N, Ctrl-C is pressed N times, one second apart.
 * Copies the command's output to stdout; exits with the command's exit
 * status, 124 on timeout (after SIGKILL), 125 on usage or setup errors. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 16];
static size_t seen_len;

static void remember(const char *buf, size_t n)
{
        if (seen_len + n >= sizeof(seen)) {
                size_t keep = sizeof(seen) / 2;

                memmove(seen, seen + seen_len - keep, keep);
                seen_len = keep;
        }
        memcpy(seen + seen_len, buf, n < sizeof(seen) - seen_len - 1 ? n : 0);
        seen_len += n < sizeof(seen) - seen_len - 1 ? n : 0;
        seen[seen_len] = 0;
}

static int relay(int master, pid_t child, const char *wait_for, int interrupts, int timeout_s)
{
        time_t end = time(NULL) + timeout_s, last = 0;
        int sent = 0, status;

        for (;;) {
                struct pollfd p = { .fd = master, .events = POLLIN };
                char buf[4096];
                ssize_t n;

                if (time(NULL) > end) {
                        kill(child, SIGKILL);
                        waitpid(child, &status, 0);
                        fprintf(stderr, "thatte-test-pty: timeout\n");
                        return 124;
                }
                if (poll(&p, 1, 200) > 0) {
                        n = read(master, buf, sizeof(buf));
                        if (n <= 0)
                                break;  /* EIO: the child closed the terminal */
                        fwrite(buf, 1, (size_t)n, stdout);
                        fflush(stdout);
                        remember(buf, (size_t)n);
                }
                if (sent < interrupts && time(NULL) > last && (sent || strstr(seen, wait_for))) {
                        sent++;
                        last = time(NULL);
                        if (write(master, "\x03", 1) != 1)
                                return 125;
                }
        }
        waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
        const char *wait_for = NULL;
        int timeout_s = 60, interrupts = 1, master, i;
        pid_t child;

        for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
                if (strcmp(argv[i], "--wait-for") == 0 && i + 1 < argc)
                        wait_for = argv[++i];
                else if (strcmp(argv[i], "--interrupts") == 0 && i + 1 < argc)
                        interrupts = atoi(argv[++i]);
                else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
                        timeout_s = atoi(argv[++i]);
                else
                        break;
        }
        if (!wait_for || i + 1 >= argc || strcmp(argv[i], "--") != 0) {
                fprintf(stderr, "usage: thatte-test-pty --wait-for TEXT [--interrupts N] [--timeout S] -- COMMAND [ARG]...\n");
                return 125;
        }
        child = forkpty(&master, NULL, NULL, NULL);
        if (child < 0) {
                perror("thatte-test-pty: forkpty");
                return 125;
        }
        if (child == 0) {
                execvp(argv[i + 1], argv + i + 1);
                _exit(127);
        }
        return relay(master, child, wait_for, interrupts, timeout_s);
}
