/* mk-sha256.h: SHA-256 (FIPS 180-4) for the image MANIFEST. */
#ifndef THATTE_DRIVEROS_MK_SHA256_H
#define THATTE_DRIVEROS_MK_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MK_SHA256_SIZE 32

struct mk_sha256 {
        uint32_t h[8];
        uint64_t length;        /* bytes hashed so far */
        uint8_t block[64];
        size_t used;
};

/* mk_sha256_init / _update / _final: the usual streaming interface; _final
 * writes the 32-byte digest and leaves the state to be re-initialised. */
void mk_sha256_init(struct mk_sha256 *s);
void mk_sha256_update(struct mk_sha256 *s, const void *data, size_t size);
void mk_sha256_final(struct mk_sha256 *s, uint8_t digest[MK_SHA256_SIZE]);

/* mk_sha256_file: the digest of the file at PATH. Returns 0 or -errno. */
int mk_sha256_file(const char *path, uint8_t digest[MK_SHA256_SIZE]);

/* mk_sha256_hex: DIGEST as 64 lowercase hex digits and a NUL in HEX. */
void mk_sha256_hex(const uint8_t digest[MK_SHA256_SIZE], char hex[2 * MK_SHA256_SIZE + 1]);

#endif
