/* compositor/blit.h: copying rectangles of the XRGB8888 shadow buffer to a
 * screen buffer in any supported pixel format (the backends' flush). */
#ifndef THATTE_COMP_BLIT_H
#define THATTE_COMP_BLIT_H

#include "compositor/damage.h"
#include "compositor/pattern.h"

/* comp_blit: copies rectangle r (clipped to both canvases) from src
 * (XRGB8888) to dst, converting pixels when dst's format differs. */
void comp_blit(const struct comp_canvas *dst, const struct comp_canvas *src, struct comp_rect r);

#endif
