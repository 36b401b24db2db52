/* init-cmdline.h: thatte-init's options from the kernel command line. */
#ifndef THATTE_DRIVEROS_INIT_CMDLINE_H
#define THATTE_DRIVEROS_INIT_CMDLINE_H

#include <stdbool.h>

#define INIT_DEFAULT_COMPOSITOR "/usr/bin/thatte-compositor"
#define INIT_DEFAULT_HOSTNAME "driveros"

struct init_options {
        bool shell;              /* thatte.shell=1 */
        bool no_compositor;      /* thatte.compositor=none */
        char *compositor_path;   /* thatte.compositor_path=PATH */
        char **compositor_argv;  /* argv[0] = path, then thatte.compositor=ARGS */
        char *hostname;          /* thatte.hostname=NAME */
        char *root;              /* thatte.root=/dev/..., NULL: stay in the initramfs */
        /* thatte.test=driveros-crash without thatte.restart=N (which
         * thatte-kvmm appends when it starts a crashed DriverOS again):
         * panic the kernel once the compositor is up, so the restart is
         * not followed by another crash. */
        bool crash;
};

/* init_cmdline_parse: reads the thatte.* words of a kernel command line
 * (words split on blanks, double quotes group, as the kernel does) and fills
 * *ret with defaults for what is absent. Unknown thatte.* words and words of
 * other programs are ignored, since the kernel passes the whole line.
 * Returns 0, -ENOMEM, or -EINVAL for a malformed thatte.* value (then *ret
 * is untouched). Free the result with init_options_done(). */
int init_cmdline_parse(const char *cmdline, struct init_options *ret);

/* init_options_done: frees what init_cmdline_parse() allocated; accepts a
 * zeroed struct. */
void init_options_done(struct init_options *o);

#endif
