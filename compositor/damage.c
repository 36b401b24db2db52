/* compositor/damage.c: rectangle arithmetic and damage lists. */
#include "config.h"

#include "compositor/damage.h"

static int32_t min32(int32_t a, int32_t b)
{
        return a < b ? a : b;
}

static int32_t max32(int32_t a, int32_t b)
{
        return a > b ? a : b;
}

/* 64-bit ends, so rectangles near INT32_MAX cannot overflow. */
struct comp_rect comp_rect_intersect(struct comp_rect a, struct comp_rect b)
{
        int64_t x0 = max32(a.x, b.x), y0 = max32(a.y, b.y);
        int64_t x1 = (int64_t)a.x + a.w, y1 = (int64_t)a.y + a.h;
        int64_t bx1 = (int64_t)b.x + b.w, by1 = (int64_t)b.y + b.h;

        if (comp_rect_empty(a) || comp_rect_empty(b))
                return (struct comp_rect) { 0, 0, 0, 0 };
        x1 = x1 < bx1 ? x1 : bx1;
        y1 = y1 < by1 ? y1 : by1;
        if (x1 <= x0 || y1 <= y0)
                return (struct comp_rect) { 0, 0, 0, 0 };
        return (struct comp_rect) { (int32_t)x0, (int32_t)y0, (int32_t)(x1 - x0),
                                    (int32_t)(y1 - y0) };
}

struct comp_rect comp_rect_union(struct comp_rect a, struct comp_rect b)
{
        int64_t x1, y1;
        int32_t x0, y0;

        if (comp_rect_empty(a))
                return b;
        if (comp_rect_empty(b))
                return a;
        x0 = min32(a.x, b.x);
        y0 = min32(a.y, b.y);
        x1 = (int64_t)a.x + a.w > (int64_t)b.x + b.w ? (int64_t)a.x + a.w : (int64_t)b.x + b.w;
        y1 = (int64_t)a.y + a.h > (int64_t)b.y + b.h ? (int64_t)a.y + a.h : (int64_t)b.y + b.h;
        return (struct comp_rect) { x0, y0, (int32_t)(x1 - x0), (int32_t)(y1 - y0) };
}

bool comp_rect_contains(struct comp_rect a, struct comp_rect b)
{
        struct comp_rect i = comp_rect_intersect(a, b);

        return !comp_rect_empty(b) && i.x == b.x && i.y == b.y && i.w == b.w && i.h == b.h;
}

void comp_damage_init(struct comp_damage *d, struct comp_rect bound)
{
        d->bound = bound;
        d->n = 0;
}

void comp_damage_all(struct comp_damage *d)
{
        d->n = 0;
        comp_damage_add(d, d->bound);
}

static void collapse(struct comp_damage *d, struct comp_rect r)
{
        for (unsigned i = 0; i < d->n; i++)
                r = comp_rect_union(r, d->rects[i]);
        d->rects[0] = r;
        d->n = 1;
}

void comp_damage_add(struct comp_damage *d, struct comp_rect r)
{
        unsigned kept = 0;

        r = comp_rect_intersect(r, d->bound);
        if (comp_rect_empty(r))
                return;
        for (unsigned i = 0; i < d->n; i++)
                if (comp_rect_contains(d->rects[i], r))
                        return;
        for (unsigned i = 0; i < d->n; i++)
                if (!comp_rect_contains(r, d->rects[i]))
                        d->rects[kept++] = d->rects[i];
        d->n = kept;
        if (d->n == COMP_DAMAGE_MAX) {
                collapse(d, r);
                return;
        }
        d->rects[d->n++] = r;
}
