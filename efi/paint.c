/* efi/paint.c: gradient values and pixel packing, freestanding.
 *
 * Everything is integer arithmetic on fixed-size types so the same code
 * runs in the firmware (no FPU setup, no libc) and in host unit tests. */
#include "paint.h"

uint8_t efi_paint_channel(uint32_t pos, uint32_t size)
{
        if (size <= 1)
                return 0;
        return (uint8_t)((uint64_t)255 * pos / (size - 1));
}

static unsigned highest_bit(uint32_t v)
{
        unsigned n = 0;

        while (v) {
                n++;
                v >>= 1;
        }
        return n;
}

static unsigned lowest_bit(uint32_t v)
{
        unsigned n = 0;

        if (!v)
                return 0;
        while (!(v & 1)) {
                n++;
                v >>= 1;
        }
        return n;
}

unsigned efi_paint_bytes_per_pixel(const struct efi_paint_format *fmt)
{
        uint32_t all;

        if (fmt->kind != EFI_PAINT_BITMASK)
                return 4;
        all = fmt->red_mask | fmt->green_mask | fmt->blue_mask | fmt->reserved_mask;
        return (highest_bit(all) + 7) / 8;
}

/* An 8-bit value scaled to the field a mask describes. The field spans
 * from the lowest to the highest set bit; a mask with holes is treated as
 * that span and then cut back to the mask, which no real firmware uses. */
static uint32_t scale_to_mask(uint8_t v, uint32_t mask)
{
        unsigned shift, width;
        uint64_t max;

        if (!mask)
                return 0;
        shift = lowest_bit(mask);
        width = highest_bit(mask) - shift;
        max = ((uint64_t)1 << width) - 1;
        return (uint32_t)(((v * max + 127) / 255) << shift) & mask;
}

uint32_t efi_paint_pack(const struct efi_paint_format *fmt, uint8_t r, uint8_t g, uint8_t b)
{
        switch (fmt->kind) {
        case EFI_PAINT_RGBX8:
                return (uint32_t)r | (uint32_t)g << 8 | (uint32_t)b << 16;
        case EFI_PAINT_BGRX8:
                return (uint32_t)b | (uint32_t)g << 8 | (uint32_t)r << 16;
        case EFI_PAINT_BITMASK:
                return scale_to_mask(r, fmt->red_mask) | scale_to_mask(g, fmt->green_mask) |
                       scale_to_mask(b, fmt->blue_mask);
        }
        return 0;
}

void efi_paint_row(const struct efi_paint_format *fmt, uint32_t width, uint32_t height, uint32_t y,
                   uint8_t *row)
{
        unsigned bpp = efi_paint_bytes_per_pixel(fmt);
        uint8_t green = efi_paint_channel(y, height);

        for (uint32_t x = 0; x < width; x++) {
                uint32_t px = efi_paint_pack(fmt, efi_paint_channel(x, width), green, EFI_PAINT_BLUE);

                for (unsigned i = 0; i < bpp; i++)
                        *row++ = (uint8_t)(px >> (8 * i));
        }
}

size_t efi_paint_row_offset(const struct efi_paint_format *fmt, uint32_t stride, uint32_t y)
{
        return (size_t)y * stride * efi_paint_bytes_per_pixel(fmt);
}
