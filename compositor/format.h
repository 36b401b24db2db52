/* compositor/format.h: pixel formats the compositor can draw into.
 *
 * A format is a pixel size plus where red, green and blue sit inside the
 * pixel value (offset and length of each bit field, as fbdev describes them;
 * DRM's fourcc formats map onto the same description). Pixels are stored in
 * the CPU's byte order, low byte first for 24 bpp, as fbdev and DRM do on
 * little-endian machines. */
#ifndef THATTE_COMP_FORMAT_H
#define THATTE_COMP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct comp_field {
        uint8_t offset;
        uint8_t length;
};

struct comp_format {
        const char *name;       /* "XRGB8888", "RGB565", ... */
        unsigned bpp;           /* 16, 24 or 32 */
        struct comp_field red, green, blue;
};

/* The table of known formats, terminated by an entry with name == NULL. */
extern const struct comp_format comp_formats[];

/* comp_format_by_name: takes a format name (case-insensitive); returns the
 * table entry, or NULL when unknown. */
const struct comp_format *comp_format_by_name(const char *name);

/* comp_format_from_fields: takes bits per pixel and the three bit fields as a
 * driver reports them; returns the matching table entry, or NULL when no
 * supported format has that layout. */
const struct comp_format *comp_format_from_fields(unsigned bpp, struct comp_field red,
                                                  struct comp_field green, struct comp_field blue);

/* comp_channel_pack: takes an 8-bit channel value and a field; returns the
 * nearest value the field can hold, already shifted into place. */
uint32_t comp_channel_pack(uint8_t value, struct comp_field field);

/* comp_channel_unpack: the inverse, expanding a field of a pixel value back
 * to the nearest 8-bit value. */
uint8_t comp_channel_unpack(uint32_t pixel, struct comp_field field);

/* comp_pack: takes 8-bit red, green and blue; returns the pixel value. */
uint32_t comp_pack(const struct comp_format *format, uint8_t r, uint8_t g, uint8_t b);

/* comp_unpack: takes a pixel value; stores its 8-bit channels in ret_rgb. */
void comp_unpack(const struct comp_format *format, uint32_t pixel, uint8_t ret_rgb[3]);

/* comp_pixel_store / comp_pixel_load: write or read one pixel at dst/src in
 * the format's size (2, 3 or 4 bytes). */
void comp_pixel_store(const struct comp_format *format, void *dst, uint32_t pixel);
uint32_t comp_pixel_load(const struct comp_format *format, const void *src);

static inline unsigned comp_format_bytes(const struct comp_format *format)
{
        return format->bpp / 8;
}

#endif
