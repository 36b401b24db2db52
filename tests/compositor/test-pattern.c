/* tests/compositor/test-pattern.c: the patterns, pixel by pixel, in 16, 24
 * and 32 bpp, including odd sizes and row padding. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compositor/pattern.h"
#include "tests/tap.h"

#define PAD 12  /* extra bytes per row, to check stride handling */

struct picture {
        struct comp_canvas canvas;
        uint8_t *buf;
};

static void picture_init(struct picture *p, const char *format, uint32_t w, uint32_t h)
{
        const struct comp_format *f = comp_format_by_name(format);

        p->canvas = (struct comp_canvas) {
                .width = w, .height = h, .format = f,
                .stride = w * comp_format_bytes(f) + PAD,
        };
        p->buf = malloc((size_t)p->canvas.stride * h);
        memset(p->buf, 0xaa, (size_t)p->canvas.stride * h);
        p->canvas.pixels = p->buf;
}

static uint32_t pixel_at(const struct picture *p, uint32_t x, uint32_t y)
{
        const struct comp_canvas *c = &p->canvas;

        return comp_pixel_load(c->format, p->buf + (size_t)y * c->stride + x * comp_format_bytes(c->format));
}

static uint32_t gradient_at(const struct comp_format *f, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
        uint8_t r = w > 1 ? (uint8_t)(255 * x / (w - 1)) : 0;
        uint8_t g = h > 1 ? (uint8_t)(255 * y / (h - 1)) : 0;

        return comp_pack(f, r, g, 0x40);
}

/* Counts wrong pixels and touched padding bytes over the whole picture. */
static void check_gradient(const char *format, uint32_t w, uint32_t h)
{
        struct comp_pattern pat = { .kind = COMP_PATTERN_GRADIENT };
        struct picture p;
        long wrong = 0, padding = 0;

        picture_init(&p, format, w, h);
        is_int(comp_pattern_draw(&pat, &p.canvas, 0), 0, "%s %ux%u: draw", format, w, h);
        for (uint32_t y = 0; y < h; y++) {
                for (uint32_t x = 0; x < w; x++)
                        wrong += pixel_at(&p, x, y) != gradient_at(p.canvas.format, x, y, w, h);
                for (unsigned i = 0; i < PAD; i++)
                        padding += p.buf[(size_t)y * p.canvas.stride + p.canvas.stride - PAD + i] != 0xaa;
        }
        is_int(wrong, 0, "%s %ux%u: every pixel is the gradient", format, w, h);
        is_int(padding, 0, "%s %ux%u: row padding untouched", format, w, h);
        is_int(pixel_at(&p, 0, 0), comp_pack(p.canvas.format, 0, 0, 0x40), "%s %ux%u: top-left corner", format, w, h);
        if (w > 1 && h > 1) {
                const struct comp_format *f = p.canvas.format;
                is_int(pixel_at(&p, w - 1, 0), comp_pack(f, 255, 0, 0x40), "%s %ux%u: top-right", format, w, h);
                is_int(pixel_at(&p, 0, h - 1), comp_pack(f, 0, 255, 0x40), "%s %ux%u: bottom-left", format, w, h);
                is_int(pixel_at(&p, w - 1, h - 1), comp_pack(f, 255, 255, 0x40), "%s %ux%u: bottom-right", format, w, h);
        }
        free(p.buf);
}

static void check_exact_values(void)
{
        struct comp_pattern pat = { .kind = COMP_PATTERN_GRADIENT };
        struct picture p;

        picture_init(&p, "XRGB8888", 3, 5);
        comp_pattern_draw(&pat, &p.canvas, 0);
        is_int(pixel_at(&p, 1, 2), 0x7f7f40, "3x5 middle pixel is (127,127,0x40)");
        is_int(pixel_at(&p, 1, 1), 0x7f3f40, "3x5 (1,1) is (127,63,0x40)");
        free(p.buf);
        is_int(comp_gradient_channel(0, 1), 0, "1-pixel-wide gradient is 0");
        is_int(comp_gradient_channel(1919, 1920), 255, "last column of 1920 is 255");
        is_int(comp_gradient_channel(960, 1920), 127, "column 960 of 1920 is 127");
}

static void check_other_patterns(void)
{
        struct comp_pattern pat;
        struct picture p;

        ok(comp_pattern_parse("solid:Ff8000", &pat) == 0 && pat.kind == COMP_PATTERN_SOLID &&
           pat.rgb[0] == 0xff && pat.rgb[1] == 0x80 && pat.rgb[2] == 0, "solid:Ff8000 parses");
        ok(comp_pattern_parse("solid:ff80", &pat) < 0, "short solid colour is refused");
        ok(comp_pattern_parse("solid:gg0000", &pat) < 0, "non-hex solid colour is refused");
        ok(comp_pattern_parse("plaid", &pat) < 0, "unknown pattern is refused");

        picture_init(&p, "RGB888", 64, 64);
        comp_pattern_parse("solid:ff8000", &pat);
        comp_pattern_draw(&pat, &p.canvas, 0);
        ok(pixel_at(&p, 0, 0) == 0xff8000 && pixel_at(&p, 63, 63) == 0xff8000, "solid fills corners");
        comp_pattern_parse("checker", &pat);
        comp_pattern_draw(&pat, &p.canvas, 0);
        ok(pixel_at(&p, 0, 0) == 0x202020 && pixel_at(&p, 32, 0) == 0xe0e0e0 &&
           pixel_at(&p, 32, 32) == 0x202020, "checker alternates every 32 pixels");
        comp_pattern_parse("bars", &pat);
        comp_pattern_draw(&pat, &p.canvas, 0);
        ok(pixel_at(&p, 0, 0) == 0xffffff && pixel_at(&p, 8, 10) == 0xffff00 &&
           pixel_at(&p, 63, 63) == 0x000000, "bars: white, yellow, ..., black");
        free(p.buf);
}

static void check_animation(void)
{
        struct comp_pattern pat = { .kind = COMP_PATTERN_GRADIENT };
        struct picture a, b;
        long wrong = 0;

        picture_init(&a, "XRGB8888", 100, 10);
        picture_init(&b, "XRGB8888", 100, 10);
        comp_pattern_draw(&pat, &a.canvas, 0);
        comp_pattern_draw(&pat, &b.canvas, 1);
        for (uint32_t y = 0; y < 10; y++)
                for (uint32_t x = 0; x < 100; x++)
                        wrong += pixel_at(&b, x, y) != pixel_at(&a, (x + 4) % 100, y);
        is_int(wrong, 0, "frame 1 is frame 0 moved 4 pixels left");
        free(a.buf);
        free(b.buf);
}

int main(void)
{
        static const char *const formats[] = { "XRGB8888", "XBGR8888", "RGB888", "BGR888",
                                               "RGB565", "XRGB2101010" };
        static const uint32_t sizes[][2] = { { 1, 1 }, { 2, 2 }, { 3, 5 }, { 1920, 1080 } };

        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
                for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
                        check_gradient(formats[f], sizes[s][0], sizes[s][1]);
        check_exact_values();
        check_other_patterns();
        check_animation();
        return tap_done();
}
