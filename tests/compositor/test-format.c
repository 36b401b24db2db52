/* tests/compositor/test-format.c: pixel packing for every supported format. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compositor/format.h"
#include "tests/tap.h"

static uint32_t field_mask(struct comp_field f)
{
        return ((1u << f.length) - 1) << f.offset;
}

/* The nearest value an n-bit field can hold for an 8-bit channel value. */
static uint32_t nearest(unsigned v, struct comp_field f)
{
        unsigned max = (1u << f.length) - 1;

        return (uint32_t)floor(v * (double)max / 255.0 + 0.5);
}

static void check_channels(const struct comp_format *f)
{
        const struct comp_field *fields[3] = { &f->red, &f->green, &f->blue };
        int bad_pack = 0, bad_round_trip = 0;

        for (int c = 0; c < 3; c++)
                for (unsigned v = 0; v < 256; v++) {
                        uint8_t rgb[3] = { 0, 0, 0 }, back[3];
                        uint32_t px;

                        rgb[c] = (uint8_t)v;
                        px = comp_pack(f, rgb[0], rgb[1], rgb[2]);
                        if (px != nearest(v, *fields[c]) << fields[c]->offset)
                                bad_pack++;
                        comp_unpack(f, px, back);
                        /* 8-bit fields round-trip exactly; narrower ones
                         * within half a step of the field. */
                        unsigned step = 255 / ((1u << fields[c]->length) - 1);
                        if (abs((int)back[c] - (int)v) > (int)(fields[c]->length >= 8 ? 0 : step / 2 + 1))
                                bad_round_trip++;
                }
        is_int(bad_pack, 0, "%s: every channel value packs to the nearest field value", f->name);
        is_int(bad_round_trip, 0, "%s: unpack(pack(v)) is v, or nearest for narrow fields", f->name);
}

static void check_layout(const struct comp_format *f)
{
        uint32_t all = field_mask(f->red) | field_mask(f->green) | field_mask(f->blue);
        uint8_t bytes[4] = { 0xaa, 0xaa, 0xaa, 0xaa };
        uint32_t px = comp_pack(f, 0x12, 0x34, 0x56);

        is_int(comp_pack(f, 0, 0, 0), 0, "%s: black is 0", f->name);
        is_int(comp_pack(f, 255, 255, 255), all, "%s: white sets exactly the three fields", f->name);
        ok((field_mask(f->red) & field_mask(f->green)) == 0 &&
           (field_mask(f->green) & field_mask(f->blue)) == 0 &&
           (field_mask(f->red) & field_mask(f->blue)) == 0, "%s: fields do not overlap", f->name);
        ok(all < (f->bpp == 32 ? ~0u : (1u << f->bpp)), "%s: fields fit in %u bits", f->name, f->bpp);
        comp_pixel_store(f, bytes, px);
        is_int(comp_pixel_load(f, bytes), px, "%s: store then load", f->name);
        ok(f->bpp == 32 || bytes[f->bpp / 8] == 0xaa, "%s: store writes only %u bytes", f->name,
           f->bpp / 8);
        ok(comp_format_from_fields(f->bpp, f->red, f->green, f->blue) == f,
           "%s: found again from its bit fields", f->name);
        ok(comp_format_by_name(f->name) == f, "%s: found by name", f->name);
}

static void check_known_values(void)
{
        uint8_t b[4];

        is_int(comp_pack(comp_format_by_name("XRGB8888"), 0x12, 0x34, 0x56), 0x123456, "XRGB8888 value");
        is_int(comp_pack(comp_format_by_name("XBGR8888"), 0x12, 0x34, 0x56), 0x563412, "XBGR8888 value");
        is_int(comp_pack(comp_format_by_name("RGBX8888"), 0x12, 0x34, 0x56), 0x12345600, "RGBX8888 value");
        is_int(comp_pack(comp_format_by_name("RGB565"), 255, 0, 0), 0xf800, "RGB565 red");
        is_int(comp_pack(comp_format_by_name("RGB565"), 0, 255, 0), 0x07e0, "RGB565 green");
        is_int(comp_pack(comp_format_by_name("BGR565"), 0, 0, 255), 0xf800, "BGR565 blue");
        is_int(comp_pack(comp_format_by_name("XRGB1555"), 255, 0, 0), 0x7c00, "XRGB1555 red");
        is_int(comp_pack(comp_format_by_name("XRGB2101010"), 255, 0, 0), 0x3ff00000, "XRGB2101010 red");
        is_int(comp_pack(comp_format_by_name("RGB565"), 0x40, 0, 0), 8u << 11, "RGB565 0x40 -> 8 (nearest of 31)");
        comp_pixel_store(comp_format_by_name("RGB888"), b, comp_pack(comp_format_by_name("RGB888"), 1, 2, 3));
        ok(b[0] == 3 && b[1] == 2 && b[2] == 1, "RGB888 bytes in memory are B, G, R");
        comp_pixel_store(comp_format_by_name("BGR888"), b, comp_pack(comp_format_by_name("BGR888"), 1, 2, 3));
        ok(b[0] == 1 && b[1] == 2 && b[2] == 3, "BGR888 bytes in memory are R, G, B");
        ok(comp_format_by_name("xrgb8888") != NULL, "names are case-insensitive");
        ok(comp_format_by_name("YUYV") == NULL, "unknown name gives NULL");
        ok(comp_format_from_fields(8, (struct comp_field) { 5, 3 }, (struct comp_field) { 2, 3 },
                                   (struct comp_field) { 0, 2 }) == NULL, "8 bpp layout is not supported");
}

int main(void)
{
        int n = 0;

        for (const struct comp_format *f = comp_formats; f->name; f++, n++) {
                check_layout(f);
                check_channels(f);
        }
        ok(n >= 12, "the table has all %d formats", n);
        check_known_values();
        return tap_done();
}
