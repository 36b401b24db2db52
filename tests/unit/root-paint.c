/* tests/unit/root-paint.c: pixel packing and the default picture of the
 * root task (kernel/root/paint.c), and its thatte.mode= parsing. */
#include <stdlib.h>
#include <string.h>

#include "kernel/root/paint.h"
#include "kernel/include/thatte/bootinfo.h"
#include "tests/tap.h"

static uint32_t expect(const struct rt_pixfmt *pf, unsigned x, unsigned y, unsigned w,
                       unsigned h)
{
        return rt_pixel_part(pf, 0, rt_gradient(x, w)) | rt_pixel_part(pf, 1, rt_gradient(y, h)) |
               rt_pixel_part(pf, 2, 0x40);
}

/* Paint w x h into a buffer with stride and an odd start; every visible
 * pixel must be the picture and the padding untouched. */
static int paint_ok(const struct rt_pixfmt *pf, unsigned w, unsigned h, unsigned stride,
                    unsigned skew, int fast)
{
        static uint32_t row[RT_PAINT_ROW_MAX + 2] __attribute__((aligned(8)));
        uint32_t *mem = malloc(((size_t)stride * h + 2) * 4), *fb = mem + skew;
        int good = 1;

        for (size_t i = 0; i < (size_t)stride * h + 2; i++)
                mem[i] = 0xdeadbeefu;
        rt_paint(fb, w, h, stride, pf, fast ? row : NULL);
        for (unsigned y = 0; y < h; y++)
                for (unsigned x = 0; x < stride; x++) {
                        uint32_t got = fb[(size_t)y * stride + x];
                        uint32_t want = x < w ? expect(pf, x, y, w, h) : 0xdeadbeefu;

                        good &= got == want;
                }
        good &= mem[0] == 0xdeadbeefu || skew == 0;
        free(mem);
        return good;
}

int main(void)
{
        struct rt_pixfmt pf;
        unsigned w = 0, h = 0;

        is_int(rt_pixfmt_init(&pf, THATTE_FB_RGBX8888, 0, 0, 0), 0, "RGBX");
        is_int(rt_pixel_part(&pf, 0, 0xff) | rt_pixel_part(&pf, 2, 0x40), 0x004000ff,
               "RGBX: red in byte 0, blue in byte 2");
        is_int(rt_pixfmt_init(&pf, THATTE_FB_BGRX8888, 0, 0, 0), 0, "BGRX");
        is_int(rt_pixel_part(&pf, 0, 0xff) | rt_pixel_part(&pf, 1, 0x12) |
               rt_pixel_part(&pf, 2, 0x40), 0x00ff1240, "BGRX: 0x00RRGGBB");
        is_int(rt_pixfmt_init(&pf, THATTE_FB_BITMASK, 0x3ff00000u, 0xffc00u, 0x3ffu), 0,
               "10-bit bitmask");
        is_int(rt_pixel_part(&pf, 0, 0xff), 0x3fc00000, "8 bits scaled up into 10");
        is_int(rt_pixfmt_init(&pf, THATTE_FB_BITMASK, 0xf800u, 0x7e0u, 0x1fu), 0, "565 masks");
        is_int(rt_pixel_part(&pf, 1, 0xff), 0x7e0, "8 bits scaled down into 6");
        is_int(rt_pixel_part(&pf, 2, 0x40), 0x8, "blue 0x40 in 5 bits");
        ok(rt_pixfmt_init(&pf, THATTE_FB_NONE, 0, 0, 0) < 0, "NONE has no pixels");
        ok(rt_pixfmt_init(&pf, THATTE_FB_BITMASK, 0, 0xff00u, 0xffu) < 0, "empty mask refused");
        ok(rt_pixfmt_init(&pf, THATTE_FB_BITMASK, 0xf0f0u, 0xf00u, 0xfu) < 0, "holey mask refused");

        is_int(rt_gradient(0, 1280), 0, "gradient starts at 0");
        is_int(rt_gradient(1279, 1280), 255, "gradient ends at 255");
        is_int(rt_gradient(640, 1280), 127, "gradient midway");
        is_int(rt_gradient(0, 1), 0, "one pixel wide");

        (void)rt_pixfmt_init(&pf, THATTE_FB_BGRX8888, 0, 0, 0);
        ok(paint_ok(&pf, 64, 48, 64, 0, 1), "picture, stride = width");
        ok(paint_ok(&pf, 63, 17, 80, 0, 1), "odd width, stride > width");
        ok(paint_ok(&pf, 64, 9, 64, 1, 1), "line start not 8-byte aligned");
        ok(paint_ok(&pf, 33, 5, 40, 1, 0), "per-pixel path");
        (void)rt_pixfmt_init(&pf, THATTE_FB_BITMASK, 0x3ff00000u, 0xffc00u, 0x3ffu);
        ok(paint_ok(&pf, 31, 7, 32, 0, 1), "picture in a bitmask format");

        is_int(rt_cmdline_mode("console=ttyS0 thatte.mode=1024x768", &w, &h), 0, "mode found");
        ok(w == 1024 && h == 768, "1024x768");
        is_int(rt_cmdline_mode("thatte.mode=800x600 quiet", &w, &h), 0, "mode first");
        ok(w == 800 && h == 600, "800x600");
        is_int(rt_cmdline_mode("", &w, &h), -RT_ENOENT, "no mode");
        ok(rt_cmdline_has("quiet thatte.bench=stretch", "thatte.bench=stretch"), "word found");
        ok(!rt_cmdline_has("thatte.bench=stretchy", "thatte.bench=stretch"), "whole word only");
        ok(!rt_cmdline_has("xthatte.bench=stretch", "thatte.bench=stretch"), "from its start");
        ok(!rt_cmdline_has("", "thatte.bench=stretch"), "empty command line");
        is_int(rt_cmdline_mode("xthatte.mode=800x600", &w, &h), -RT_ENOENT, "only whole words");
        is_int(rt_cmdline_mode("thatte.mode=800", &w, &h), -RT_EINVAL, "no height");
        is_int(rt_cmdline_mode("thatte.mode=800x600x32", &w, &h), -RT_EINVAL, "trailing junk");
        is_int(rt_cmdline_mode("thatte.mode=10x10", &w, &h), -RT_EINVAL, "too small");
        is_int(rt_cmdline_mode("thatte.mode=99999x600", &w, &h), -RT_EINVAL, "too wide");
        return tap_done();
}
