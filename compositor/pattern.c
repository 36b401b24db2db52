/* compositor/pattern.c: gradient, bars, checker and solid fills.
 *
 * Every pattern here is "a colour per column, combined with a colour per
 * row": the three channels live in separate bit fields, so a pixel value is
 * the OR of a per-column part and a per-row part. Each row is then one pass
 * of loads and ORs over a row table, which keeps the gradient close to
 * memset speed (see tests/bench/). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/pattern.h"

#define CHECKER_SIZE 32u
#define ANIMATE_STEP 4u

static const uint8_t bar_colours[8][3] = {
        { 0xff, 0xff, 0xff }, { 0xff, 0xff, 0x00 }, { 0x00, 0xff, 0xff }, { 0x00, 0xff, 0x00 },
        { 0xff, 0x00, 0xff }, { 0xff, 0x00, 0x00 }, { 0x00, 0x00, 0xff }, { 0x00, 0x00, 0x00 },
};

static int parse_hex_byte(const char *s, uint8_t *ret)
{
        unsigned v = 0;

        for (int i = 0; i < 2; i++) {
                char c = s[i];
                unsigned d;

                if (c >= '0' && c <= '9')
                        d = (unsigned)(c - '0');
                else if (c >= 'a' && c <= 'f')
                        d = (unsigned)(c - 'a' + 10);
                else if (c >= 'A' && c <= 'F')
                        d = (unsigned)(c - 'A' + 10);
                else
                        return -EINVAL;
                v = v * 16 + d;
        }
        *ret = (uint8_t)v;
        return 0;
}

int comp_pattern_parse(const char *text, struct comp_pattern *ret)
{
        struct comp_pattern p = { 0 };

        if (strcmp(text, "gradient") == 0)
                p.kind = COMP_PATTERN_GRADIENT;
        else if (strcmp(text, "bars") == 0)
                p.kind = COMP_PATTERN_BARS;
        else if (strcmp(text, "checker") == 0)
                p.kind = COMP_PATTERN_CHECKER;
        else if (strncmp(text, "solid:", 6) == 0 && strlen(text + 6) == 6) {
                p.kind = COMP_PATTERN_SOLID;
                for (int i = 0; i < 3; i++)
                        if (parse_hex_byte(text + 6 + 2 * i, &p.rgb[i]) < 0)
                                return -EINVAL;
        } else
                return -EINVAL;
        *ret = p;
        return 0;
}

uint8_t comp_gradient_channel(uint32_t i, uint32_t n)
{
        if (n <= 1)
                return 0;
        return (uint8_t)((255u * (uint64_t)i) / (n - 1));
}

/* The per-column part of column x and the per-row part of row y. */
static void column_part(const struct comp_pattern *p, const struct comp_canvas *c, uint32_t x,
                        uint64_t frame, uint32_t *ret)
{
        const struct comp_format *f = c->format;
        uint32_t sx = (uint32_t)((x + frame * ANIMATE_STEP) % c->width);

        switch (p->kind) {
        case COMP_PATTERN_GRADIENT:
                *ret = comp_channel_pack(comp_gradient_channel(sx, c->width), f->red);
                break;
        case COMP_PATTERN_BARS: {
                const uint8_t *rgb = bar_colours[(uint64_t)sx * 8 / c->width];
                *ret = comp_pack(f, rgb[0], rgb[1], rgb[2]);
                break;
        }
        case COMP_PATTERN_CHECKER:
                *ret = (sx / CHECKER_SIZE) % 2;         /* a flag, combined per row */
                break;
        case COMP_PATTERN_SOLID:
                *ret = comp_pack(f, p->rgb[0], p->rgb[1], p->rgb[2]);
                break;
        }
}

static uint32_t row_part(const struct comp_pattern *p, const struct comp_canvas *c, uint32_t y,
                         uint64_t frame)
{
        const struct comp_format *f = c->format;

        switch (p->kind) {
        case COMP_PATTERN_GRADIENT:
                return comp_channel_pack(comp_gradient_channel(y, c->height), f->green) |
                       comp_channel_pack(0x40, f->blue);
        case COMP_PATTERN_CHECKER:
                return ((y + frame * ANIMATE_STEP) / CHECKER_SIZE) % 2;
        default:
                return 0;
        }
}

/* Eight 32-bit pixels at a time through GCC/Clang vector types: plain C,
 * but compiled to SIMD even at -O2, where the scalar loop is not
 * vectorised. memcpy keeps loads and stores alignment-safe. */
typedef uint32_t comp_v8u32 __attribute__((vector_size(32)));

static void fill_row32(uint32_t *restrict d, const uint32_t *restrict columns, uint32_t width,
                       uint32_t or_value)
{
        comp_v8u32 v_or = { or_value, or_value, or_value, or_value,
                            or_value, or_value, or_value, or_value };
        uint32_t x = 0;

        for (; x + 8 <= width; x += 8) {
                comp_v8u32 v;
                memcpy(&v, columns + x, sizeof(v));
                v |= v_or;
                memcpy(d + x, &v, sizeof(v));
        }
        for (; x < width; x++)
                d[x] = columns[x] | or_value;
}

static void fill_row(uint8_t *restrict dst, const uint32_t *restrict columns, uint32_t width,
                     uint32_t or_value, const struct comp_format *f)
{
        /* Rows of real framebuffers are aligned; anything else takes the
         * byte-wise path below rather than unaligned stores. */
        unsigned bytes = comp_format_bytes(f);
        unsigned path = (uintptr_t)dst % bytes == 0 ? f->bpp : 0;

        switch (path) {
        case 32:
                fill_row32((uint32_t *)(void *)dst, columns, width, or_value);
                break;
        case 16: {
                uint16_t *restrict d = (uint16_t *)(void *)dst;
                for (uint32_t x = 0; x < width; x++)
                        d[x] = (uint16_t)(columns[x] | or_value);
                break;
        }
        default:
                for (uint32_t x = 0; x < width; x++)
                        comp_pixel_store(f, dst + bytes * x, columns[x] | or_value);
                break;
        }
}

/* The checker's column and row parts are parity flags; turn them into the
 * two colours here so fill_row stays a plain OR. */
static void fill_checker_row(uint8_t *dst, const uint32_t *flags, uint32_t width, uint32_t row_flag,
                             const struct comp_format *f)
{
        uint32_t dark = comp_pack(f, 0x20, 0x20, 0x20), light = comp_pack(f, 0xe0, 0xe0, 0xe0);

        for (uint32_t x = 0; x < width; x++)
                comp_pixel_store(f, dst + x * comp_format_bytes(f),
                                 (flags[x] ^ row_flag) ? light : dark);
}

int comp_pattern_draw(const struct comp_pattern *pattern, const struct comp_canvas *canvas,
                      uint64_t frame)
{
        uint32_t *columns;
        uint8_t *row = canvas->pixels;

        if (canvas->width == 0 || canvas->height == 0)
                return 0;
        columns = malloc(sizeof(uint32_t) * canvas->width);
        if (!columns)
                return -ENOMEM;
        for (uint32_t x = 0; x < canvas->width; x++)
                column_part(pattern, canvas, x, frame, &columns[x]);
        for (uint32_t y = 0; y < canvas->height; y++, row += canvas->stride) {
                uint32_t part = row_part(pattern, canvas, y, frame);

                if (pattern->kind == COMP_PATTERN_CHECKER)
                        fill_checker_row(row, columns, canvas->width, part, canvas->format);
                else
                        fill_row(row, columns, canvas->width, part, canvas->format);
        }
        free(columns);
        return 0;
}
