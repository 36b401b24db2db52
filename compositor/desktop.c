/* compositor/desktop.c: windows on the background, composed into the
 * shadow buffer one damaged rectangle at a time.
 *
 * Composing a rectangle: the background's rows, then every window from the
 * bottom up (its frame strips in the client's colour, its title, its
 * surface rows), then the cursor; each step clipped to the rectangle, so
 * the cost follows the damage, not the screen. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/desktop.h"
#include "compositor/font.h"

/* Distinct frame colours, one per visible client (Qubes-like labels). */
static const uint32_t palette[COMP_WINDOWS_MAX] = {
        0xd03030, 0x3070d0, 0x30a040, 0xd09020, 0x9040c0, 0x20a0a0, 0xc04080, 0x707070,
};

#define TITLE_TEXT 0xffffff
#define CURSOR_FILL 0xffffff
#define CURSOR_EDGE 0x000000

static struct comp_rect screen(const struct comp_desktop *d)
{
        return (struct comp_rect) { 0, 0, (int32_t)d->width, (int32_t)d->height };
}

struct comp_canvas comp_desktop_canvas(const struct comp_desktop *d)
{
        return (struct comp_canvas) { .pixels = d->shadow, .width = d->width, .height = d->height,
                                      .stride = d->width * 4,
                                      .format = comp_format_by_name("XRGB8888") };
}

int comp_desktop_init(struct comp_desktop *d, uint32_t width, uint32_t height,
                      const struct comp_pattern *background)
{
        size_t bytes = (size_t)width * height * 4;
        struct comp_canvas bg;

        memset(d, 0, sizeof(*d));
        d->width = width;
        d->height = height;
        d->background = malloc(bytes);
        d->shadow = malloc(bytes);
        if (!d->background || !d->shadow) {
                comp_desktop_free(d);
                return -ENOMEM;
        }
        bg = comp_desktop_canvas(d);
        bg.pixels = d->background;
        if (comp_pattern_draw(background, &bg, 0) < 0) {
                comp_desktop_free(d);
                return -ENOMEM;
        }
        comp_damage_init(&d->damage, screen(d));
        comp_damage_all(&d->damage);
        return 0;
}

void comp_desktop_free(struct comp_desktop *d)
{
        free(d->background);
        free(d->shadow);
        d->background = d->shadow = NULL;
}

struct comp_rect comp_window_content(const struct comp_window *w)
{
        return (struct comp_rect) { w->frame.x + COMP_BORDER,
                                    w->frame.y + COMP_BORDER + COMP_TITLE_HEIGHT,
                                    w->frame.w - 2 * COMP_BORDER,
                                    w->frame.h - 2 * COMP_BORDER - COMP_TITLE_HEIGHT };
}

struct comp_rect comp_window_title_bar(const struct comp_window *w)
{
        return (struct comp_rect) { w->frame.x, w->frame.y, w->frame.w,
                                    COMP_BORDER + COMP_TITLE_HEIGHT };
}

static bool fits(const struct comp_desktop *d, struct comp_rect r)
{
        struct comp_rect grown = { r.x - COMP_GAP / 2, r.y - COMP_GAP / 2, r.w + COMP_GAP,
                                   r.h + COMP_GAP };

        if (r.x < COMP_GAP || r.y < COMP_GAP || r.x + r.w > (int32_t)d->width - COMP_GAP ||
            r.y + r.h > (int32_t)d->height - COMP_GAP)
                return false;
        for (unsigned i = 0; i < d->n_windows; i++)
                if (!comp_rect_empty(comp_rect_intersect(grown, d->windows[i].frame)))
                        return false;
        return true;
}

struct comp_rect comp_desktop_place(const struct comp_desktop *d, uint32_t w, uint32_t h)
{
        int32_t fw = (int32_t)w + 2 * COMP_BORDER, fh = (int32_t)h + 2 * COMP_BORDER + COMP_TITLE_HEIGHT;
        int32_t xs[COMP_WINDOWS_MAX + 1], ys[COMP_WINDOWS_MAX + 1];
        struct comp_rect best = { 0, 0, 0, 0 };
        unsigned n = 0;
        int32_t step;

        /* Candidates: the screen's corner and just right of / below each
         * window; the topmost, then leftmost one that fits wins. */
        xs[n] = COMP_GAP;
        ys[n++] = COMP_GAP;
        for (unsigned i = 0; i < d->n_windows; i++, n++) {
                xs[n] = d->windows[i].frame.x + d->windows[i].frame.w + COMP_GAP;
                ys[n] = d->windows[i].frame.y + d->windows[i].frame.h + COMP_GAP;
        }
        for (unsigned a = 0; a < n; a++)
                for (unsigned b = 0; b < n; b++) {
                        struct comp_rect r = { xs[b], ys[a], fw, fh };
                        if (fits(d, r) && (comp_rect_empty(best) || r.y < best.y ||
                                           (r.y == best.y && r.x < best.x)))
                                best = r;
                }
        if (!comp_rect_empty(best))
                return best;
        /* No room: cascade, staying on screen where the window allows. */
        step = 2 * COMP_GAP * (int32_t)(d->n_windows + 1);
        best = (struct comp_rect) { step, step, fw, fh };
        if (best.x + fw > (int32_t)d->width)
                best.x = (int32_t)d->width > fw ? (int32_t)d->width - fw : 0;
        if (best.y + fh > (int32_t)d->height)
                best.y = (int32_t)d->height > fh ? (int32_t)d->height - fh : 0;
        return best;
}

static unsigned free_colour(const struct comp_desktop *d)
{
        for (unsigned c = 0; c < COMP_WINDOWS_MAX; c++) {
                bool used = false;
                for (unsigned i = 0; i < d->n_windows; i++)
                        used |= d->windows[i].colour_index == c;
                if (!used)
                        return c;
        }
        return 0;
}

struct comp_window *comp_desktop_add(struct comp_desktop *d, struct comp_channel *channel)
{
        struct comp_window *w;

        if (d->n_windows == COMP_WINDOWS_MAX)
                return NULL;
        w = &d->windows[d->n_windows];
        *w = (struct comp_window) {
                .channel = channel,
                .frame = comp_desktop_place(d, channel->info.width, channel->info.height),
                .colour_index = free_colour(d),
        };
        w->colour = palette[w->colour_index];
        d->n_windows++;
        comp_damage_add(&d->damage, w->frame);
        return w;
}

struct comp_window *comp_desktop_find(struct comp_desktop *d, const struct comp_channel *channel)
{
        for (unsigned i = 0; i < d->n_windows; i++)
                if (d->windows[i].channel == channel)
                        return &d->windows[i];
        return NULL;
}

void comp_desktop_remove(struct comp_desktop *d, struct comp_channel *channel)
{
        struct comp_window *w = comp_desktop_find(d, channel);
        size_t i;

        if (!w)
                return;
        comp_damage_add(&d->damage, w->frame);
        i = (size_t)(w - d->windows);
        memmove(w, w + 1, (d->n_windows - i - 1) * sizeof(*w));
        d->n_windows--;
        if (d->focus == channel)
                d->focus = NULL;
}

struct comp_window *comp_desktop_window_at(struct comp_desktop *d, int32_t x, int32_t y)
{
        for (unsigned i = d->n_windows; i-- > 0;) {
                struct comp_rect f = d->windows[i].frame;
                if (x >= f.x && y >= f.y && x < f.x + f.w && y < f.y + f.h)
                        return &d->windows[i];
        }
        return NULL;
}

struct comp_window *comp_desktop_raise(struct comp_desktop *d, struct comp_window *w)
{
        struct comp_window copy = *w;
        size_t i = (size_t)(w - d->windows);

        if (i + 1 == d->n_windows)
                return w;
        memmove(w, w + 1, (d->n_windows - i - 1) * sizeof(*w));
        d->windows[d->n_windows - 1] = copy;
        comp_damage_add(&d->damage, copy.frame);
        return &d->windows[d->n_windows - 1];
}

void comp_desktop_move(struct comp_desktop *d, struct comp_window *w, int32_t x, int32_t y)
{
        /* Keep some of the title bar on screen so it can be dragged back. */
        int32_t min_x = COMP_GAP - w->frame.w, max_x = (int32_t)d->width - COMP_GAP;
        int32_t max_y = (int32_t)d->height - COMP_TITLE_HEIGHT;

        x = x < min_x ? min_x : x > max_x ? max_x : x;
        y = y < 0 ? 0 : y > max_y ? max_y : y;
        comp_damage_add(&d->damage, w->frame);
        w->frame.x = x;
        w->frame.y = y;
        comp_damage_add(&d->damage, w->frame);
}

void comp_desktop_set_focus(struct comp_desktop *d, struct comp_channel *channel)
{
        struct comp_window *old = d->focus ? comp_desktop_find(d, d->focus) : NULL;
        struct comp_window *now = channel ? comp_desktop_find(d, channel) : NULL;

        if (d->focus == channel)
                return;
        if (old)
                comp_damage_add(&d->damage, comp_window_title_bar(old));
        if (now)
                comp_damage_add(&d->damage, comp_window_title_bar(now));
        d->focus = channel;
}

static struct comp_rect cursor_rect(const struct comp_desktop *d)
{
        return (struct comp_rect) { d->cursor_x, d->cursor_y, COMP_CURSOR_SIZE, COMP_CURSOR_SIZE };
}

void comp_desktop_move_cursor(struct comp_desktop *d, int32_t x, int32_t y)
{
        if (d->cursor_shown)
                comp_damage_add(&d->damage, cursor_rect(d));
        d->cursor_x = x;
        d->cursor_y = y;
        d->cursor_shown = true;
        comp_damage_add(&d->damage, cursor_rect(d));
}

void comp_desktop_surface_damage(struct comp_desktop *d, const struct comp_window *w,
                                 const struct comp_damage *damage)
{
        struct comp_rect c = comp_window_content(w);

        for (unsigned i = 0; i < damage->n; i++) {
                struct comp_rect r = damage->rects[i];
                r.x += c.x;
                r.y += c.y;
                comp_damage_add(&d->damage, comp_rect_intersect(r, c));
        }
}

static void fill(struct comp_desktop *d, struct comp_rect r, uint32_t colour)
{
        for (int32_t y = r.y; y < r.y + r.h; y++) {
                uint32_t *p = d->shadow + (size_t)y * d->width + r.x;
                for (int32_t x = 0; x < r.w; x++)
                        p[x] = colour;
        }
}

static void copy_rows(struct comp_desktop *d, struct comp_rect r, const uint32_t *src,
                      uint32_t src_stride, int32_t src_x, int32_t src_y)
{
        for (int32_t y = 0; y < r.h; y++)
                memcpy(d->shadow + (size_t)(r.y + y) * d->width + r.x,
                       src + (size_t)(src_y + y) * src_stride + src_x, (size_t)r.w * 4);
}

static uint32_t darker(uint32_t c)
{
        return (c >> 1) & 0x7f7f7f;
}

static void draw_window(struct comp_desktop *d, const struct comp_window *w, struct comp_rect clip)
{
        struct comp_rect f = w->frame, c = comp_window_content(w);
        struct comp_rect strips[4] = {
                { f.x, f.y, f.w, c.y - f.y },                   /* title bar and top edge */
                { f.x, c.y + c.h, f.w, f.y + f.h - c.y - c.h }, /* bottom edge */
                { f.x, c.y, c.x - f.x, c.h },                   /* left edge */
                { c.x + c.w, c.y, f.x + f.w - c.x - c.w, c.h }, /* right edge */
        };
        uint32_t colour = d->focus == w->channel ? w->colour : darker(w->colour);
        struct comp_rect part;

        for (int i = 0; i < 4; i++)
                fill(d, comp_rect_intersect(strips[i], clip), colour);
        part = comp_rect_intersect(strips[0], clip);
        if (!comp_rect_empty(part))
                comp_font_draw(d->shadow, d->width, part, f.x + COMP_BORDER + 4,
                               f.y + COMP_BORDER + (COMP_TITLE_HEIGHT - COMP_FONT_HEIGHT) / 2,
                               w->channel->info.title, TITLE_TEXT);
        part = comp_rect_intersect(c, clip);
        if (!comp_rect_empty(part))
                copy_rows(d, part, w->channel->surface, w->channel->info.width, part.x - c.x,
                          part.y - c.y);
}

/* An arrow: a right triangle, white with a black edge. */
static void draw_cursor(struct comp_desktop *d, struct comp_rect clip)
{
        for (int32_t y = 0; y < COMP_CURSOR_SIZE; y++)
                for (int32_t x = 0; x <= y && x < COMP_CURSOR_SIZE; x++) {
                        int32_t px = d->cursor_x + x, py = d->cursor_y + y;
                        bool edge = x == 0 || x == y || y == COMP_CURSOR_SIZE - 1;
                        if (px < clip.x || py < clip.y || px >= clip.x + clip.w ||
                            py >= clip.y + clip.h)
                                continue;
                        d->shadow[(size_t)py * d->width + px] = edge ? CURSOR_EDGE : CURSOR_FILL;
                }
}

static void compose_rect(struct comp_desktop *d, struct comp_rect r)
{
        copy_rows(d, r, d->background, d->width, r.x, r.y);
        for (unsigned i = 0; i < d->n_windows; i++) {
                struct comp_rect clip = comp_rect_intersect(comp_rect_intersect(r, d->windows[i].frame),
                                                            screen(d));
                if (!comp_rect_empty(clip))
                        draw_window(d, &d->windows[i], clip);
        }
        if (d->cursor_shown && !comp_rect_empty(comp_rect_intersect(r, cursor_rect(d))))
                draw_cursor(d, r);
}

void comp_desktop_compose(struct comp_desktop *d)
{
        for (unsigned i = 0; i < d->damage.n; i++)
                compose_rect(d, d->damage.rects[i]);
}
