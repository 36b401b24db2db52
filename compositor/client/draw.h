/* compositor/client/draw.h: what thatte-display-client shows: a test
 * pattern or a PPM picture as the background, and the animation's square.
 * Pixels are XRGB8888 words; the same functions render the expected
 * picture in the tests' screendump checker. */
#ifndef THATTE_CLIENT_DRAW_H
#define THATTE_CLIENT_DRAW_H

#include <stdint.h>

#include "thatte/display-channel.h"

enum tdcc_pattern {
        TDCC_PATTERN_GRADIENT,  /* red grows to the right, green downwards, blue 0x80 */
        TDCC_PATTERN_BARS,      /* eight vertical colour bars */
        TDCC_PATTERN_QUADRANTS, /* red, green / blue, white */
        TDCC_PATTERN_SOLID,     /* one colour */
};

struct tdcc_look {
        enum tdcc_pattern pattern;
        uint32_t color;         /* TDCC_PATTERN_SOLID */
};

#define TDCC_SQUARE_COLOR 0xffffffu

/* tdcc_look_parse: a pattern name (gradient, bars, quadrants) or a colour
 * (#RRGGBB). Returns 0 or -EINVAL. */
int tdcc_look_parse(const char *name, struct tdcc_look *look);

/* tdcc_draw: the pattern into px (w x h, row pitch pitch pixels). */
void tdcc_draw(uint32_t *px, uint32_t w, uint32_t h, uint32_t pitch,
               const struct tdcc_look *look);

/* tdcc_square: where the animation's square is in frame n (1, 2, ...):
 * a side of min(w, h) / 8 (at least 1), moving 8 pixels right and 4 down
 * per frame, wrapping. */
struct tdc_rect tdcc_square(uint64_t n, uint32_t w, uint32_t h);

/* tdcc_copy_rect / tdcc_fill_rect: one rectangle (inside the surface) from
 * src to dst, both of pitch pixels / of one colour. */
void tdcc_copy_rect(uint32_t *dst, const uint32_t *src, uint32_t pitch, struct tdc_rect r);
void tdcc_fill_rect(uint32_t *dst, uint32_t pitch, struct tdc_rect r, uint32_t color);

/* tdcc_ppm_read: a binary PPM (P6, maxval 1..65535) into a malloc'ed
 * XRGB8888 array (*px, *w x *h). Returns 0 or -errno (-EINVAL: not such
 * a PPM, -E2BIG: larger than TDC_WIDTH_MAX x TDC_HEIGHT_MAX). */
int tdcc_ppm_read(const char *path, uint32_t **px, uint32_t *w, uint32_t *h);

#endif
