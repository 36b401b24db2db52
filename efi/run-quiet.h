/* efi/run-quiet.h: run a tool the efi/ programs depend on, quietly. */
#ifndef THATTE_EFI_RUN_QUIET_H
#define THATTE_EFI_RUN_QUIET_H

/* efi_run_quiet: runs argv (argv[0] searched in PATH, execvp, never a
 * shell) with stdin on /dev/null, stdout dropped and stderr kept in an
 * unlinked temporary file that is shown only when the tool fails: tools
 * like sbsign and xorriso talk on stderr when all goes well, and ours are
 * quiet then. A prompt on the terminal (sbsign's passphrase) still shows.
 * prog names the caller and package the Debian package of argv[0] in the
 * messages printed here. Returns 0; -ENOENT when argv[0] is not
 * installed, -EIO when it failed, another -errno when it could not start. */
int efi_run_quiet(const char *prog, const char *const argv[], const char *package);

#endif
