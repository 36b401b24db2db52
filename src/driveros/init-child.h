/* init-child.h: the long-running children of thatte-init. */
#ifndef THATTE_DRIVEROS_INIT_CHILD_H
#define THATTE_DRIVEROS_INIT_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct init_child {
        const char *name;
        char **argv;
        bool on_console;        /* the rescue shell: controlling tty = console */
        bool capture;           /* relay stdout+stderr through a pipe to init */
        pid_t pid;              /* 0 while not running */
        int out_fd;             /* read end of the pipe, -1 when closed */
        unsigned failures;      /* consecutive short-lived runs */
        uint64_t started_ms;
        uint64_t restart_at_ms; /* 0: no restart pending */
};

/* init_now_ms: CLOCK_MONOTONIC in milliseconds. */
uint64_t init_now_ms(void);

/* init_child_start: forks and execs c->argv with signals reset, in a new
 * session. Returns 0 or -errno (fork or pipe failed); a failing exec shows
 * as the child exiting with status 127. */
int init_child_start(struct init_child *c);

/* init_child_exited: records that c's process ended and schedules the next
 * start with exponential backoff (100 ms doubling to 30 s; a run longer than
 * 10 s resets it). */
void init_child_exited(struct init_child *c, int status);

/* init_child_backoff_ms: the delay before restart after FAILURES short runs. */
uint64_t init_child_backoff_ms(unsigned failures);

#endif
