/* kernel/root/paint.h: the default picture (DESIGN.md: red = 255*x/(W-1),
 * green = 255*y/(H-1), blue = 0x40) in any 32-bit pixel format the boot
 * info can name, and the command line's display mode. Pure: host-tested in
 * tests/unit/root-paint.c. */
#ifndef THATTE_ROOT_PAINT_H
#define THATTE_ROOT_PAINT_H

#include <stddef.h>
#include <stdint.h>

#define RT_EINVAL 22
#define RT_ENOENT 2

/* Where each 8-bit component goes in a 32-bit pixel. */
struct rt_pixfmt {
        uint8_t shift[3];       /* red, green, blue: lowest bit */
        uint8_t bits[3];        /* width of the field (8 for the byte formats) */
};

/* rt_pixfmt_init: from an enum thatte_fb_format and, for BITMASK, the
 * masks. Returns 0, or -RT_EINVAL (NONE, unknown, or an empty mask). */
int rt_pixfmt_init(struct rt_pixfmt *pf, uint32_t format, uint32_t red_mask,
                   uint32_t green_mask, uint32_t blue_mask);

/* rt_pixel_part: component c (0 red, 1 green, 2 blue) of value v (0..255). */
uint32_t rt_pixel_part(const struct rt_pixfmt *pf, unsigned c, unsigned v);

/* rt_gradient: 255 * i / (n - 1), 0 when n < 2. */
unsigned rt_gradient(unsigned i, unsigned n);

#define RT_PAINT_ROW_MAX 8192u

/* rt_paint: the default picture into w x h pixels of fb, stride pixels per
 * line; row is scratch for w + 1 pixels (8-byte aligned), or NULL when
 * w > RT_PAINT_ROW_MAX (slower per-pixel path). */
void rt_paint(uint32_t *fb, unsigned w, unsigned h, unsigned stride,
              const struct rt_pixfmt *pf, uint32_t *row);

/* rt_cmdline_has: whether word stands on the command line as a whole word. */
int rt_cmdline_has(const char *cmdline, const char *word);

/* rt_cmdline_mode: WxH from `thatte.mode=WxH` on the command line.
 * Returns 0, -RT_ENOENT when absent, -RT_EINVAL when malformed or out of
 * 64..RT_PAINT_ROW_MAX. */
int rt_cmdline_mode(const char *cmdline, unsigned *ret_w, unsigned *ret_h);

#endif
