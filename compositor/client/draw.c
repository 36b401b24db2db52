/* compositor/client/draw.c: see draw.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/client/draw.h"

static const uint32_t bars[8] = {
        0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000,
};

int tdcc_look_parse(const char *name, struct tdcc_look *look)
{
        static const char *const names[] = { "gradient", "bars", "quadrants" };
        char *end;
        unsigned long c;

        for (unsigned i = 0; i < 3; i++)
                if (strcmp(name, names[i]) == 0) {
                        look->pattern = (enum tdcc_pattern)i;
                        look->color = 0;
                        return 0;
                }
        if (name[0] != '#' || strlen(name) != 7)
                return -EINVAL;
        errno = 0;
        c = strtoul(name + 1, &end, 16);
        if (*end != '\0' || errno || name[1] == '-' || name[1] == '+' || name[1] == ' ')
                return -EINVAL;
        look->pattern = TDCC_PATTERN_SOLID;
        look->color = (uint32_t)c;
        return 0;
}

static uint32_t at(const struct tdcc_look *look, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
        switch (look->pattern) {
        case TDCC_PATTERN_GRADIENT:
                return (w > 1 ? x * 255u / (w - 1) : 0) << 16 |
                       (h > 1 ? y * 255u / (h - 1) : 0) << 8 | 0x80u;
        case TDCC_PATTERN_BARS:
                return bars[(uint64_t)x * 8 / w];
        case TDCC_PATTERN_QUADRANTS:
                if (y < h / 2)
                        return x < w / 2 ? 0xff0000u : 0x00ff00u;
                return x < w / 2 ? 0x0000ffu : 0xffffffu;
        case TDCC_PATTERN_SOLID:
        default:
                return look->color & 0xffffffu;
        }
}

void tdcc_draw(uint32_t *px, uint32_t w, uint32_t h, uint32_t pitch,
               const struct tdcc_look *look)
{
        for (uint32_t y = 0; y < h; y++)
                for (uint32_t x = 0; x < w; x++)
                        px[(size_t)y * pitch + x] = at(look, x, y, w, h);
}

struct tdc_rect tdcc_square(uint64_t n, uint32_t w, uint32_t h)
{
        uint32_t side = (w < h ? w : h) / 8;

        if (side == 0)
                side = 1;
        return (struct tdc_rect){
                .x = (uint32_t)((n * 8) % (w - side + 1)),
                .y = (uint32_t)((n * 4) % (h - side + 1)),
                .w = side,
                .h = side,
        };
}

void tdcc_copy_rect(uint32_t *dst, const uint32_t *src, uint32_t pitch, struct tdc_rect r)
{
        for (uint32_t y = r.y; y < r.y + r.h; y++)
                memcpy(dst + (size_t)y * pitch + r.x, src + (size_t)y * pitch + r.x,
                       (size_t)r.w * 4);
}

void tdcc_fill_rect(uint32_t *dst, uint32_t pitch, struct tdc_rect r, uint32_t color)
{
        for (uint32_t y = r.y; y < r.y + r.h; y++)
                for (uint32_t x = r.x; x < r.x + r.w; x++)
                        dst[(size_t)y * pitch + x] = color;
}
