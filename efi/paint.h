/* efi/paint.h: the default picture, packed into a framebuffer pixel format.
 *
 * Freestanding on purpose: no libc, no EFI headers. thatte-hello.efi
 * uses it inside the firmware, and tests/unit/efi-paint.c compiles the
 * same file on the host to check every pixel format. */
#ifndef THATTE_EFI_PAINT_H
#define THATTE_EFI_PAINT_H

#include <stddef.h>
#include <stdint.h>

/* The blue channel of the default picture (DESIGN.md). */
#define EFI_PAINT_BLUE 0x40u

enum efi_paint_kind {
        EFI_PAINT_RGBX8,   /* bytes R, G, B, reserved */
        EFI_PAINT_BGRX8,   /* bytes B, G, R, reserved (also the Blt pixel) */
        EFI_PAINT_BITMASK, /* little-endian word split by channel masks */
};

/* How one pixel is laid out in memory. */
struct efi_paint_format {
        enum efi_paint_kind kind;
        uint32_t red_mask;      /* EFI_PAINT_BITMASK only */
        uint32_t green_mask;
        uint32_t blue_mask;
        uint32_t reserved_mask;
};

/* efi_paint_channel: the gradient value 255*pos/(size-1).
 * Takes a position below size. Returns 0..255; for size <= 1 the single
 * row or column gets 0, as the formula has no divisor there. */
uint8_t efi_paint_channel(uint32_t pos, uint32_t size);

/* efi_paint_bytes_per_pixel: storage size of one pixel.
 * Returns 4 for the 8-bit formats; for bit masks the bytes needed to hold
 * the highest set bit of any mask (1..4), or 0 when every mask is empty. */
unsigned efi_paint_bytes_per_pixel(const struct efi_paint_format *fmt);

/* efi_paint_pack: one pixel of colour (r, g, b) as a little-endian word.
 * Bit-mask channels are scaled from 8 bits to the width of their mask,
 * rounding to nearest. Bits outside the channel masks stay 0. */
uint32_t efi_paint_pack(const struct efi_paint_format *fmt, uint8_t r, uint8_t g, uint8_t b);

/* efi_paint_row: writes row y of a width x height picture to row.
 * Takes a buffer of width * efi_paint_bytes_per_pixel(fmt) bytes and
 * y < height; writes every byte of it. */
void efi_paint_row(const struct efi_paint_format *fmt, uint32_t width, uint32_t height, uint32_t y,
                   uint8_t *row);

/* efi_paint_row_offset: byte offset of row y in a framebuffer whose rows
 * are stride pixels apart (GOP's PixelsPerScanLine, which may exceed the
 * visible width). */
size_t efi_paint_row_offset(const struct efi_paint_format *fmt, uint32_t stride, uint32_t y);

#endif
