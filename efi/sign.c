/* efi/sign.c: runs sbsign from sbsigntool, quietly (run-quiet.c): it says
 * "Signing Unsigned original image" on stderr even when all goes well. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "run-quiet.h"
#include "sign.h"

int efi_sign_file(const char *prog, const char *key, const char *cert, const char *in, const char *out)
{
        const char *argv[] = { "sbsign", "--key", key, "--cert", cert, "--output", out, in, NULL };
        int r = efi_run_quiet(prog, argv, "sbsigntool");

        if (r == -EIO)
                fprintf(stderr, "%s: could not sign with %s and %s\n", prog, key, cert);
        return r;
}
