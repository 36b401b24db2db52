/* compositor/blit.c: rectangle copies from the shadow buffer. Rows are
 * memcpy'd when the screen is XRGB8888 too (DRM dumb buffers, 32 bpp
 * fbdev); otherwise each pixel is unpacked and packed again. */
#include "config.h"

#include <string.h>

#include "compositor/blit.h"

static void convert_row(const struct comp_canvas *dst, uint8_t *d, const uint32_t *s, int32_t n)
{
        const struct comp_format *f = dst->format;
        unsigned bytes = comp_format_bytes(f);

        for (int32_t x = 0; x < n; x++) {
                uint32_t v = s[x];
                comp_pixel_store(f, d + (size_t)x * bytes,
                                 comp_pack(f, (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v));
        }
}

void comp_blit(const struct comp_canvas *dst, const struct comp_canvas *src, struct comp_rect r)
{
        struct comp_rect bound = { 0, 0, (int32_t)dst->width, (int32_t)dst->height };
        struct comp_rect sbound = { 0, 0, (int32_t)src->width, (int32_t)src->height };
        bool same = strcmp(dst->format->name, src->format->name) == 0;
        unsigned bytes = comp_format_bytes(dst->format);

        r = comp_rect_intersect(comp_rect_intersect(r, bound), sbound);
        for (int32_t y = r.y; y < r.y + r.h; y++) {
                uint8_t *d = (uint8_t *)dst->pixels + (size_t)y * dst->stride + (size_t)r.x * bytes;
                const uint32_t *s = (const uint32_t *)((const uint8_t *)src->pixels +
                                                       (size_t)y * src->stride) + r.x;
                if (same)
                        memcpy(d, s, (size_t)r.w * 4);
                else
                        convert_row(dst, d, s, r.w);
        }
}
