/* compositor/desktop.h: the picture the compositor shows once clients
 * exist: the background pattern, each client's surface in a window (a frame
 * in the client's colour and a title bar naming it), and the cursor.
 *
 * Everything is drawn into a shadow buffer in system memory (XRGB8888,
 * packed rows); each change adds its screen rectangle to the desktop's
 * damage, comp_desktop_compose redraws only those rectangles, and the
 * backend copies only those to the screen (STYLE.md item 20). */
#ifndef THATTE_COMP_DESKTOP_H
#define THATTE_COMP_DESKTOP_H

#include <stdbool.h>
#include <stdint.h>

#include "compositor/channel.h"
#include "compositor/damage.h"
#include "compositor/pattern.h"

#define COMP_WINDOWS_MAX 8u
#define COMP_BORDER 3                   /* frame width around the surface */
#define COMP_TITLE_HEIGHT 16            /* title bar above the surface */
#define COMP_GAP 16                     /* between windows and the screen edge */
#define COMP_CURSOR_SIZE 12

struct comp_window {
        struct comp_channel *channel;   /* not owned */
        struct comp_rect frame;         /* the whole window on screen */
        uint32_t colour;                /* XRGB8888, one per client */
        unsigned colour_index;
};

struct comp_desktop {
        uint32_t width, height;
        uint32_t *background;           /* width x height, drawn once */
        uint32_t *shadow;               /* width x height, what the screen shows */
        struct comp_window windows[COMP_WINDOWS_MAX];   /* bottom to top */
        unsigned n_windows;
        struct comp_channel *focus;     /* NULL: none */
        int32_t cursor_x, cursor_y;
        bool cursor_shown;
        struct comp_damage damage;      /* screen rectangles to compose */
};

/* comp_desktop_init: a width x height desktop with `background` drawn into
 * it, all damaged. Returns 0 or -ENOMEM. */
int comp_desktop_init(struct comp_desktop *d, uint32_t width, uint32_t height,
                      const struct comp_pattern *background);

void comp_desktop_free(struct comp_desktop *d);

/* comp_desktop_place: where a window around a w x h surface goes: the
 * first spot (top to bottom, left to right) that covers no window and
 * stays on screen; when none is left, cascaded from the top left. */
struct comp_rect comp_desktop_place(const struct comp_desktop *d, uint32_t w, uint32_t h);

/* comp_desktop_add: a window for the channel, placed, on top. Returns it,
 * or NULL when COMP_WINDOWS_MAX windows exist. */
struct comp_window *comp_desktop_add(struct comp_desktop *d, struct comp_channel *channel);

/* comp_desktop_remove: drops the channel's window (and the focus on it). */
void comp_desktop_remove(struct comp_desktop *d, struct comp_channel *channel);

/* comp_desktop_find: the channel's window, or NULL. */
struct comp_window *comp_desktop_find(struct comp_desktop *d, const struct comp_channel *channel);

/* comp_window_content: where the surface sits on screen. */
struct comp_rect comp_window_content(const struct comp_window *w);

/* comp_window_title_bar: the title bar on screen (the part to drag). */
struct comp_rect comp_window_title_bar(const struct comp_window *w);

/* comp_desktop_window_at: the topmost window at (x, y), or NULL. */
struct comp_window *comp_desktop_window_at(struct comp_desktop *d, int32_t x, int32_t y);

/* comp_desktop_raise: puts the window on top; returns its new address. */
struct comp_window *comp_desktop_raise(struct comp_desktop *d, struct comp_window *w);

/* comp_desktop_move: moves the window's frame to (x, y), kept so that its
 * title bar stays reachable. */
void comp_desktop_move(struct comp_desktop *d, struct comp_window *w, int32_t x, int32_t y);

/* comp_desktop_set_focus: the focused channel (NULL: none); redraws the
 * title bars that change. */
void comp_desktop_set_focus(struct comp_desktop *d, struct comp_channel *channel);

/* comp_desktop_move_cursor: shows the cursor at (x, y). */
void comp_desktop_move_cursor(struct comp_desktop *d, int32_t x, int32_t y);

/* comp_desktop_surface_damage: a window's surface changed in `damage`
 * (surface coordinates). */
void comp_desktop_surface_damage(struct comp_desktop *d, const struct comp_window *w,
                                 const struct comp_damage *damage);

/* comp_desktop_compose: redraws the damaged rectangles into the shadow
 * buffer. The damage stays for the backend's copy; the caller clears it
 * (comp_damage_init) once copied. */
void comp_desktop_compose(struct comp_desktop *d);

/* comp_desktop_canvas: the shadow buffer as a canvas. */
struct comp_canvas comp_desktop_canvas(const struct comp_desktop *d);

#endif
