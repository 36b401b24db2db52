/* tests/unit/efi-paint.c: efi/paint.c on the host: the gradient formula at
 * corners and edges, each pixel format's byte layout, bit masks of odd
 * widths and positions, and rows placed by stride. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paint.h"
#include "tests/tap.h"

static const struct efi_paint_format rgbx = { .kind = EFI_PAINT_RGBX8 };
static const struct efi_paint_format bgrx = { .kind = EFI_PAINT_BGRX8 };

static void test_channel(void)
{
        is_int(efi_paint_channel(0, 1), 0, "1 pixel wide: the only column is 0");
        is_int(efi_paint_channel(0, 0), 0, "0 size does not divide by zero");
        is_int(efi_paint_channel(0, 2), 0, "2 wide: left is 0");
        is_int(efi_paint_channel(1, 2), 255, "2 wide: right is 255");
        is_int(efi_paint_channel(1, 3), 127, "3 wide: middle is 255*1/2 = 127");
        is_int(efi_paint_channel(2, 3), 255, "3 wide: right is 255");
        is_int(efi_paint_channel(1, 5), 63, "5 high: row 1 is 255*1/4 = 63");
        is_int(efi_paint_channel(4, 5), 255, "5 high: bottom is 255");
        is_int(efi_paint_channel(1919, 1920), 255, "1920 wide: right edge 255");
        is_int(efi_paint_channel(960, 1920), 255 * 960 / 1919, "1920 wide: middle");
        is_int(efi_paint_channel(1079, 1080), 255, "1080 high: bottom edge 255");
        is_int(efi_paint_channel(539, 1080), 255 * 539 / 1079, "1080 high: middle");
}

static uint32_t word_at(const uint8_t *p, unsigned bpp)
{
        uint32_t v = 0;

        for (unsigned i = 0; i < bpp; i++)
                v |= (uint32_t)p[i] << (8 * i);
        return v;
}

static void test_byte_formats(void)
{
        uint8_t row[3 * 4];

        is_int(efi_paint_bytes_per_pixel(&rgbx), 4, "RGBX8 is 4 bytes");
        is_int(efi_paint_bytes_per_pixel(&bgrx), 4, "BGRX8 is 4 bytes");

        memset(row, 0xee, sizeof(row));
        efi_paint_row(&rgbx, 3, 5, 4, row);
        ok(row[0] == 0 && row[1] == 255 && row[2] == 0x40 && row[3] == 0,
           "RGBX8 3x5 bottom-left bytes R=0 G=255 B=0x40 X=0");
        ok(row[4] == 127 && row[8] == 255 && row[11] == 0, "RGBX8 3x5 bottom row red 127, 255");

        memset(row, 0xee, sizeof(row));
        efi_paint_row(&bgrx, 3, 5, 1, row);
        ok(row[0] == 0x40 && row[1] == 63 && row[2] == 0 && row[3] == 0,
           "BGRX8 3x5 row 1 left bytes B=0x40 G=63 R=0 X=0");
        ok(row[8] == 0x40 && row[10] == 255, "BGRX8 3x5 row 1 right: red 255");
}

static void test_corners(uint32_t w, uint32_t h)
{
        uint8_t *top = malloc((size_t)w * 4), *bottom = malloc((size_t)w * 4);
        size_t last = (size_t)(w - 1) * 4;
        uint8_t far = w > 1 ? 255 : 0, low = h > 1 ? 255 : 0;

        efi_paint_row(&bgrx, w, h, 0, top);
        efi_paint_row(&bgrx, w, h, h - 1, bottom);
        ok(top[2] == 0 && top[1] == 0 && top[0] == 0x40, "%ux%u top-left is (0, 0, 0x40)", w, h);
        ok(top[last + 2] == far && top[last + 1] == 0, "%ux%u top-right red %u", w, h, far);
        ok(bottom[2] == 0 && bottom[1] == low, "%ux%u bottom-left green %u", w, h, low);
        ok(bottom[last + 2] == far && bottom[last + 1] == low && bottom[last] == 0x40,
           "%ux%u bottom-right (%u, %u, 0x40)", w, h, far, low);
        free(top);
        free(bottom);
}

static void test_bitmasks(void)
{
        struct efi_paint_format rgb565 = { EFI_PAINT_BITMASK, 0xf800, 0x07e0, 0x001f, 0 };
        struct efi_paint_format x2r10g10b10 = { EFI_PAINT_BITMASK, 0x3ff00000, 0x000ffc00, 0x3ff,
                                                0xc0000000 };
        struct efi_paint_format packed24 = { EFI_PAINT_BITMASK, 0xff, 0xff00, 0xff0000, 0 };
        struct efi_paint_format odd = { EFI_PAINT_BITMASK, 0x7, 0x38, 0x1c0, 0 }; /* 3 bits each */
        struct efi_paint_format empty = { EFI_PAINT_BITMASK, 0, 0, 0, 0 };
        uint8_t row[3 * 3];

        is_int(efi_paint_bytes_per_pixel(&rgb565), 2, "RGB565 is 2 bytes");
        is_int(efi_paint_pack(&rgb565, 255, 0, 0), 0xf800, "RGB565 full red");
        is_int(efi_paint_pack(&rgb565, 0, 255, 0), 0x07e0, "RGB565 full green");
        is_int(efi_paint_pack(&rgb565, 0, 0, 0x40), 0x0008, "RGB565 blue 0x40 -> 8 of 31");

        is_int(efi_paint_bytes_per_pixel(&x2r10g10b10), 4, "10-bit with reserved top is 4 bytes");
        is_int(efi_paint_pack(&x2r10g10b10, 255, 255, 255), 0x3fffffff,
               "10-bit white fills the channels, not the reserved bits");
        is_int(efi_paint_pack(&x2r10g10b10, 0, 0, 0x40), 257, "10-bit blue 0x40 -> 257 of 1023");

        is_int(efi_paint_bytes_per_pixel(&packed24), 3, "24-bit masks pack into 3 bytes");
        efi_paint_row(&packed24, 3, 1, 0, row);
        ok(row[0] == 0 && row[2] == 0x40 && row[3] == 127 && row[6] == 255 && row[8] == 0x40,
           "24-bit RGB row: red 0, 127, 255 at 3-byte steps");

        is_int(efi_paint_bytes_per_pixel(&odd), 2, "9 bits of masks need 2 bytes");
        is_int(efi_paint_pack(&odd, 255, 0, 0x40), 0x7 | 2 << 6, "3-bit fields scale and shift");
        is_int(word_at(row, 3), 0x400000, "word_at reads little-endian");

        is_int(efi_paint_bytes_per_pixel(&empty), 0, "all-zero masks: no pixel size");
        is_int(efi_paint_pack(&empty, 255, 255, 255), 0, "all-zero masks pack to 0");
}

/* Rows placed by stride leave the padding beyond the width untouched. */
static void test_stride(void)
{
        enum { W = 3, H = 4, STRIDE = 5 };
        uint8_t fb[STRIDE * H * 4];
        int padding_kept = 1, pixels_ok = 1;

        memset(fb, 0xa5, sizeof(fb));
        for (uint32_t y = 0; y < H; y++)
                efi_paint_row(&bgrx, W, H, y, fb + efi_paint_row_offset(&bgrx, STRIDE, y));
        for (uint32_t y = 0; y < H; y++)
                for (uint32_t x = 0; x < STRIDE; x++) {
                        uint32_t px = word_at(fb + (y * STRIDE + x) * 4, 4);

                        if (x >= W)
                                padding_kept &= px == 0xa5a5a5a5;
                        else
                                pixels_ok &= px == efi_paint_pack(&bgrx, efi_paint_channel(x, W),
                                                                  efi_paint_channel(y, H), 0x40);
                }
        is_int(efi_paint_row_offset(&bgrx, STRIDE, 2), 2 * STRIDE * 4, "row offset uses stride");
        ok(pixels_ok, "stride %d > width %d: every visible pixel right", STRIDE, W);
        ok(padding_kept, "stride %d > width %d: padding untouched", STRIDE, W);
}

int main(void)
{
        test_channel();
        test_byte_formats();
        test_corners(1, 1);
        test_corners(2, 2);
        test_corners(3, 5);
        test_corners(1920, 1080);
        test_bitmasks();
        test_stride();
        return tap_done();
}
