/* efi/le.h: little-endian fields of the on-disk formats efi/ reads and
 * writes (PE, ELF, FAT), taken byte by byte so that neither alignment nor
 * the host's byte order matters. Freestanding: the loader uses them too. */
#ifndef THATTE_EFI_LE_H
#define THATTE_EFI_LE_H

#include <stdint.h>

/* efi_le: the bytes-long (1..8) little-endian field at p. */
static inline uint64_t efi_le(const uint8_t *p, unsigned bytes)
{
        uint64_t v = 0;

        while (bytes--)
                v = v << 8 | p[bytes];
        return v;
}

static inline uint32_t efi_le32(const uint8_t *p)
{
        return (uint32_t)efi_le(p, 4);
}

/* efi_put_le: store the low bytes (1..8) of v at p, little-endian. */
static inline void efi_put_le(uint8_t *p, unsigned bytes, uint64_t v)
{
        for (unsigned i = 0; i < bytes; i++, v >>= 8)
                p[i] = (uint8_t)v;
}

#endif
