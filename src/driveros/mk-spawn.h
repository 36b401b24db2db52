/* mk-spawn.h: running helper programs (apt, dpkg-deb, depmod, ...) without
 * a shell, and stopping them when the build is interrupted. */
#ifndef THATTE_DRIVEROS_MK_SPAWN_H
#define THATTE_DRIVEROS_MK_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* Set by the SIGINT/SIGTERM/SIGHUP handler mk_spawn_trap_signals() installs;
 * long loops check it and unwind. */
extern volatile sig_atomic_t mk_interrupted;

/* mk_spawn_trap_signals: installs the handler (no SA_RESTART, so waits end
 * early). */
void mk_spawn_trap_signals(void);

/* mk_spawn_run: runs ARGV (argv[0] looked up in PATH) in directory CWD (NULL:
 * ours), in its own process group, stdin from /dev/null. With CAPTURE, its
 * standard output is collected into *ret_output (NUL-terminated; free it);
 * otherwise it goes to our stderr when VERBOSE, else to /dev/null, and its
 * stderr always comes to ours. Returns 0 when it exited 0, -EINTR when the
 * build was interrupted (the group was sent SIGTERM, then SIGKILL, and
 * reaped), -ENOENT when the program was not found, -EPROTO for another
 * nonzero exit, or -errno. */
int mk_spawn_run(char *const argv[], const char *cwd, bool verbose, char **ret_output);

/* mk_spawn_interactive: runs ARGV on our terminal (stdin, stdout and the
 * process group inherited: a full-screen program such as menuconfig) and
 * waits for it. Returns as mk_spawn_run. */
int mk_spawn_interactive(char *const argv[]);

/* mk_spawn_lines: as mk_spawn_run, but each line of the program's standard
 * output goes to LINE (without its newline) as it comes. */
int mk_spawn_lines(char *const argv[], const char *cwd, void (*line)(const char *text, void *userdata),
                   void *userdata);

#endif
