/* compositor/pattern.h: the pictures the compositor paints.
 *
 * A canvas is a block of pixels in memory (a dumb buffer, the fbdev
 * framebuffer, or a host buffer for the ppm backend); a pattern fills it
 * for a given frame number, so --animate just draws with frame 1, 2, ... */
#ifndef THATTE_COMP_PATTERN_H
#define THATTE_COMP_PATTERN_H

#include <stdint.h>

#include "compositor/format.h"

struct comp_canvas {
        void *pixels;
        uint32_t width, height;
        uint32_t stride;                /* bytes from one row to the next */
        const struct comp_format *format;
};

enum comp_pattern_kind {
        COMP_PATTERN_GRADIENT,          /* DESIGN.md's default picture */
        COMP_PATTERN_BARS,
        COMP_PATTERN_CHECKER,
        COMP_PATTERN_SOLID,
};

struct comp_pattern {
        enum comp_pattern_kind kind;
        uint8_t rgb[3];                 /* COMP_PATTERN_SOLID only */
};

/* comp_pattern_parse: takes "gradient", "bars", "checker" or "solid:RRGGBB";
 * fills *ret and returns 0, or returns -EINVAL leaving *ret untouched. */
int comp_pattern_parse(const char *text, struct comp_pattern *ret);

/* comp_gradient_channel: the gradient's red (or green) value at position i
 * of n: 255*i/(n-1), rounded down, and 0 when n is 1. */
uint8_t comp_gradient_channel(uint32_t i, uint32_t n);

/* comp_pattern_draw: fills the whole canvas with the pattern as it looks at
 * frame `frame` (frame 0 is the still picture). Returns 0, or -ENOMEM. */
int comp_pattern_draw(const struct comp_pattern *pattern, const struct comp_canvas *canvas,
                      uint64_t frame);

#endif
