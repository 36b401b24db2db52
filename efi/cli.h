/* efi/cli.h: what the efi/ command-line tools (thatte-mkesp, thatte-mkboot)
 * share in their GNU-style command line handling. */
#ifndef THATTE_EFI_CLI_H
#define THATTE_EFI_CLI_H

/* efi_cli_usage_error: prints "PROG: MESSAGE" and the --help hint on
 * stderr. Returns 2, the exit status of a usage error. */
__attribute__((format(printf, 2, 3))) int efi_cli_usage_error(const char *prog, const char *fmt, ...);

#endif
