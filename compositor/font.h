/* compositor/font.h: a 5x7 bitmap font for window titles (ASCII capitals,
 * digits and a little punctuation; lower case is drawn as capitals, other
 * characters as '?'). */
#ifndef THATTE_COMP_FONT_H
#define THATTE_COMP_FONT_H

#include <stdint.h>

#include "compositor/damage.h"

#define COMP_FONT_WIDTH 5
#define COMP_FONT_HEIGHT 7
#define COMP_FONT_ADVANCE 6             /* a column of space between glyphs */

/* comp_font_draw: draws text with its top left at (x, y) into the packed
 * XRGB8888 pixels (stride in pixels), touching only pixels inside clip. */
void comp_font_draw(uint32_t *pixels, uint32_t stride, struct comp_rect clip, int32_t x,
                    int32_t y, const char *text, uint32_t colour);

#endif
