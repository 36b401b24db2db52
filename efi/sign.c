/* efi/sign.c: runs sbsign from sbsigntool. sbsign says "Signing Unsigned
 * original image" on stderr even when all goes well, and the tools are
 * quiet when they succeed: its stderr goes to an unlinked temporary file,
 * shown only when it fails. A passphrase prompt for an encrypted key goes
 * to the terminal, not to stderr, so it still shows. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sign.h"
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
        r = thatte_spawn_wait(argv, THATTE_SPAWN_NULL_STDOUT, ret_status);
        (void)dup2(saved, STDERR_FILENO);
        (void)close(saved);
        return r;
}

int efi_sign_file(const char *prog, const char *key, const char *cert, const char *in, const char *out)
{
        const char *argv[] = { "sbsign", "--key", key, "--cert", cert, "--output", out, in, NULL };
        FILE *log = tmpfile();
        int status = 0, r;

        if (!log) {
                r = -errno;
                fprintf(stderr, "%s: cannot create a temporary file: %s\n", prog, strerror(-r));
                return r;
        }
        r = spawn_logged(argv, log, &status);
        if (r == -ENOENT)
                fprintf(stderr, "%s: cannot run sbsign: not found (install the Debian package sbsigntool)\n",
                        prog);
        else if (r < 0)
                fprintf(stderr, "%s: cannot run sbsign: %s\n", prog, strerror(-r));
        else if (status != 0) {
                show_log(log);
                fprintf(stderr, "%s: sbsign failed (exit status %d) signing with %s and %s\n", prog, status,
                        key, cert);
                r = -EIO;
        }
        fclose(log);
        return r;
}
