/* efi/run-quiet.c: a child's stderr goes to a tmpfile() (unlinked at
 * once, so nothing is left behind however we end), copied to ours on
 * failure. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "run-quiet.h"
#include "spawn.h"

/* Copies what the child wrote to log onto our stderr. */
static void show_log(FILE *log)
{
        char line[512];

        rewind(log);
        while (fgets(line, sizeof(line), log))
                fputs(line, stderr);
}

/* Runs argv with fd 2 on log, then puts our stderr back. */
static int spawn_logged(const char *const argv[], FILE *log, int *ret_status)
{
        int saved, r;

        fflush(stderr);
        saved = dup(STDERR_FILENO);
        if (saved < 0)
                return -errno;
        if (dup2(fileno(log), STDERR_FILENO) < 0) {
                r = -errno;
                (void)close(saved);
                return r;
        }
        r = thatte_spawn_wait(argv, THATTE_SPAWN_NULL_STDIN | THATTE_SPAWN_NULL_STDOUT, ret_status);
        (void)dup2(saved, STDERR_FILENO);
        (void)close(saved);
        return r;
}

int efi_run_quiet(const char *prog, const char *const argv[], const char *package)
{
        FILE *log = tmpfile();
        int status = 0, r;

        if (!log) {
                r = -errno;
                fprintf(stderr, "%s: cannot create a temporary file: %s\n", prog, strerror(-r));
                return r;
        }
        r = spawn_logged(argv, log, &status);
        if (r == -ENOENT)
                fprintf(stderr, "%s: cannot run %s: not found (install the Debian package %s)\n", prog,
                        argv[0], package);
        else if (r < 0)
                fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[0], strerror(-r));
        else if (status != 0) {
                show_log(log);
                fprintf(stderr, "%s: %s failed (exit status %d)\n", prog, argv[0], status);
                r = -EIO;
        }
        fclose(log);
        return r;
}
