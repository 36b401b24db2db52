/* compositor/format.c: the pixel format table and channel packing. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "compositor/format.h"

#define F(o, l) { .offset = (o), .length = (l) }

const struct comp_format comp_formats[] = {
        { "XRGB8888",    32, F(16, 8),  F(8, 8),   F(0, 8) },
        { "XBGR8888",    32, F(0, 8),   F(8, 8),   F(16, 8) },
        { "RGBX8888",    32, F(24, 8),  F(16, 8),  F(8, 8) },
        { "BGRX8888",    32, F(8, 8),   F(16, 8),  F(24, 8) },
        { "XRGB2101010", 32, F(20, 10), F(10, 10), F(0, 10) },
        { "XBGR2101010", 32, F(0, 10),  F(10, 10), F(20, 10) },
        { "RGB888",      24, F(16, 8),  F(8, 8),   F(0, 8) },
        { "BGR888",      24, F(0, 8),   F(8, 8),   F(16, 8) },
        { "RGB565",      16, F(11, 5),  F(5, 6),   F(0, 5) },
        { "BGR565",      16, F(0, 5),   F(5, 6),   F(11, 5) },
        { "XRGB1555",    16, F(10, 5),  F(5, 5),   F(0, 5) },
        { "XBGR1555",    16, F(0, 5),   F(5, 5),   F(10, 5) },
        { NULL, 0, F(0, 0), F(0, 0), F(0, 0) },
};

const struct comp_format *comp_format_by_name(const char *name)
{
        for (const struct comp_format *f = comp_formats; f->name; f++)
                if (strcasecmp(f->name, name) == 0)
                        return f;
        return NULL;
}

static bool field_eq(struct comp_field a, struct comp_field b)
{
        return a.offset == b.offset && a.length == b.length;
}

const struct comp_format *comp_format_from_fields(unsigned bpp, struct comp_field red,
                                                  struct comp_field green, struct comp_field blue)
{
        for (const struct comp_format *f = comp_formats; f->name; f++)
                if (f->bpp == bpp && field_eq(f->red, red) && field_eq(f->green, green) &&
                    field_eq(f->blue, blue))
                        return f;
        return NULL;
}

uint32_t comp_channel_pack(uint8_t value, struct comp_field field)
{
        uint32_t max = (1u << field.length) - 1;

        /* Rounded, so 16 bpp shows the nearest value the field can hold. */
        return ((value * max + 127) / 255) << field.offset;
}

uint8_t comp_channel_unpack(uint32_t pixel, struct comp_field field)
{
        uint32_t max = (1u << field.length) - 1;
        uint32_t v = (pixel >> field.offset) & max;

        return (uint8_t)((v * 255 + max / 2) / max);
}

uint32_t comp_pack(const struct comp_format *format, uint8_t r, uint8_t g, uint8_t b)
{
        return comp_channel_pack(r, format->red) | comp_channel_pack(g, format->green) |
               comp_channel_pack(b, format->blue);
}

void comp_unpack(const struct comp_format *format, uint32_t pixel, uint8_t ret_rgb[3])
{
        ret_rgb[0] = comp_channel_unpack(pixel, format->red);
        ret_rgb[1] = comp_channel_unpack(pixel, format->green);
        ret_rgb[2] = comp_channel_unpack(pixel, format->blue);
}

void comp_pixel_store(const struct comp_format *format, void *dst, uint32_t pixel)
{
        uint8_t *p = dst;

        switch (format->bpp) {
        case 16: {
                uint16_t v = (uint16_t)pixel;
                memcpy(p, &v, 2);
                break;
        }
        case 24:
                p[0] = (uint8_t)pixel;
                p[1] = (uint8_t)(pixel >> 8);
                p[2] = (uint8_t)(pixel >> 16);
                break;
        default:
                memcpy(p, &pixel, 4);
                break;
        }
}

uint32_t comp_pixel_load(const struct comp_format *format, const void *src)
{
        const uint8_t *p = src;

        switch (format->bpp) {
        case 16: {
                uint16_t v;
                memcpy(&v, p, 2);
                return v;
        }
        case 24:
                return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
        default: {
                uint32_t v;
                memcpy(&v, p, 4);
                return v;
        }
        }
}
