/* efi/sign.h: Secure Boot signing of a UEFI file with sbsigntool. */
#ifndef THATTE_EFI_SIGN_H
#define THATTE_EFI_SIGN_H

/* efi_sign_file: signs the PE file at in into out with sbsign (searched in
 * PATH, run through execvp, never a shell): an Authenticode signature by
 * the PEM private key at key for the PEM certificate at cert. An encrypted
 * key makes sbsign ask for its passphrase on the terminal. prog names the
 * calling program in messages, which are printed here. Returns 0; -ENOENT
 * when sbsign is not installed, -EIO when it failed (out then holds
 * nothing useful), another -errno when it could not be started. */
int efi_sign_file(const char *prog, const char *key, const char *cert, const char *in, const char *out);

#endif
