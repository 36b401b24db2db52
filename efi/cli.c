/* efi/cli.c: shared command-line helpers of the efi/ tools. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int efi_cli_usage_error(const char *prog, const char *fmt, ...)
{
        va_list ap;

        fprintf(stderr, "%s: ", prog);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
        return 2;
}
