/* compositor/damage.h: rectangles and the damage of one frame.
 *
 * A damage list holds up to COMP_DAMAGE_MAX rectangles clipped to a bound;
 * one more collapses the list to its bounding box (STYLE.md item 20), so a
 * frame never costs more than COMP_DAMAGE_MAX copies. */
#ifndef THATTE_COMP_DAMAGE_H
#define THATTE_COMP_DAMAGE_H

#include <stdbool.h>
#include <stdint.h>

#define COMP_DAMAGE_MAX 16u

struct comp_rect {
        int32_t x, y;
        int32_t w, h;                   /* empty when either is <= 0 */
};

struct comp_damage {
        struct comp_rect bound;         /* everything is clipped to this */
        struct comp_rect rects[COMP_DAMAGE_MAX];
        unsigned n;
};

static inline bool comp_rect_empty(struct comp_rect r)
{
        return r.w <= 0 || r.h <= 0;
}

/* comp_rect_intersect: the common part of a and b (empty when none). */
struct comp_rect comp_rect_intersect(struct comp_rect a, struct comp_rect b);

/* comp_rect_union: the bounding box of a and b (an empty one is ignored). */
struct comp_rect comp_rect_union(struct comp_rect a, struct comp_rect b);

/* comp_rect_contains: whether a covers all of b. */
bool comp_rect_contains(struct comp_rect a, struct comp_rect b);

/* comp_damage_init: an empty list clipped to bound. */
void comp_damage_init(struct comp_damage *d, struct comp_rect bound);

/* comp_damage_add: adds r clipped to the bound. A rectangle inside one
 * already listed is dropped, one covering listed ones replaces them; past
 * COMP_DAMAGE_MAX the list becomes its bounding box. */
void comp_damage_add(struct comp_damage *d, struct comp_rect r);

/* comp_damage_all: the whole bound. */
void comp_damage_all(struct comp_damage *d);

#endif
