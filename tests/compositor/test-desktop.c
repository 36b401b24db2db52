/* tests/compositor/test-desktop.c: damage merging, window placement, and
 * composing windows into the shadow buffer, checked pixel by pixel. */
#include "config.h"

#include "compositor/blit.h"
#include "compositor/desktop.h"
#include "tests/compositor/channel-fixture.h"
#include "tests/tap.h"

#define SW 640
#define SH 400

static struct comp_rect R(int32_t x, int32_t y, int32_t w, int32_t h)
{
        return (struct comp_rect) { x, y, w, h };
}

static bool same(struct comp_rect a, struct comp_rect b)
{
        return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

static void check_damage(void)
{
        struct comp_damage d;

        comp_damage_init(&d, R(0, 0, 100, 100));
        comp_damage_add(&d, R(10, 10, 5, 5));
        comp_damage_add(&d, R(11, 11, 2, 2));
        is_int(d.n, 1, "a rectangle inside a listed one is dropped");
        comp_damage_add(&d, R(0, 0, 50, 50));
        ok(d.n == 1 && same(d.rects[0], R(0, 0, 50, 50)), "one covering listed ones replaces them");
        comp_damage_add(&d, R(90, 90, 20, 20));
        ok(d.n == 2 && same(d.rects[1], R(90, 90, 10, 10)), "clipped to the bound");
        comp_damage_add(&d, R(-5, 200, 10, 10));
        is_int(d.n, 2, "outside the bound: nothing");
        comp_damage_add(&d, R(60, 60, 0, 5));
        is_int(d.n, 2, "empty: nothing");
        comp_damage_init(&d, R(0, 0, 1000, 1000));
        for (int i = 0; i < (int)COMP_DAMAGE_MAX; i++)
                comp_damage_add(&d, R(i * 20, i * 10, 4, 4));
        is_int(d.n, COMP_DAMAGE_MAX, "up to COMP_DAMAGE_MAX rectangles are kept");
        comp_damage_add(&d, R(700, 700, 4, 4));
        ok(d.n == 1 && same(d.rects[0], R(0, 0, 704, 704)), "one more: the bounding box");
        ok(comp_rect_empty(comp_rect_intersect(R(INT32_MAX - 2, 0, INT32_MAX, 5), R(0, 0, 10, 10))),
           "huge rectangles do not overflow");
        comp_damage_all(&d);
        ok(d.n == 1 && same(d.rects[0], R(0, 0, 1000, 1000)), "all: the bound");
}

static struct comp_channel *channel(uint32_t w, uint32_t h, const char *title, uint32_t value)
{
        struct comp_channel *c = calloc(1, sizeof(*c));
        struct tdc_header *mem = fixture_channel(1 << 20, w, h, title);
        char err[128];

        if (!c || comp_channel_open(c, mem, 1 << 20, 0, err, sizeof(err)) < 0)
                abort();
        for (uint32_t i = 0; i < w * h; i++)
                c->surface[i] = value;
        return c;
}

static void drop(struct comp_channel *c)
{
        free((void *)c->header);
        comp_channel_close(c);
        free(c);
}

static bool overlap(const struct comp_desktop *d)
{
        for (unsigned i = 0; i < d->n_windows; i++)
                for (unsigned j = i + 1; j < d->n_windows; j++)
                        if (!comp_rect_empty(comp_rect_intersect(d->windows[i].frame,
                                                                 d->windows[j].frame)))
                                return true;
        return false;
}

static void check_placement(void)
{
        struct comp_pattern bg = { .kind = COMP_PATTERN_SOLID };
        struct comp_desktop d;
        struct comp_channel *c[COMP_WINDOWS_MAX];
        struct comp_window *w;

        comp_desktop_init(&d, SW, SH, &bg);
        c[0] = channel(200, 100, "a", 0);
        w = comp_desktop_add(&d, c[0]);
        ok(same(w->frame, R(COMP_GAP, COMP_GAP, 200 + 2 * COMP_BORDER,
                            100 + 2 * COMP_BORDER + COMP_TITLE_HEIGHT)), "the first window: top left");
        c[1] = channel(200, 100, "b", 0);
        w = comp_desktop_add(&d, c[1]);
        ok(w->frame.y == COMP_GAP && w->frame.x == d.windows[0].frame.x + d.windows[0].frame.w + COMP_GAP,
           "the second: to its right");
        c[2] = channel(300, 100, "c", 0);
        w = comp_desktop_add(&d, c[2]);
        ok(w->frame.x == COMP_GAP && w->frame.y == d.windows[0].frame.y + d.windows[0].frame.h + COMP_GAP,
           "the third (no room to the right): below the first");
        ok(!overlap(&d), "no windows overlap while there is room");
        ok(d.windows[0].colour != d.windows[1].colour && d.windows[1].colour != d.windows[2].colour &&
           d.windows[0].colour != d.windows[2].colour, "each client its own frame colour");
        for (unsigned i = 3; i < COMP_WINDOWS_MAX; i++) {
                c[i] = channel(300, 200, "big", 0);
                w = comp_desktop_add(&d, c[i]);
                ok(w && w->frame.x >= 0 && w->frame.y >= 0 && w->frame.x + w->frame.w <= SW &&
                   w->frame.y + w->frame.h <= SH, "window %u (no room left) stays on screen", i);
        }
        ok(comp_desktop_add(&d, c[0]) == NULL, "past COMP_WINDOWS_MAX: refused");
        comp_desktop_remove(&d, c[1]);
        is_int(d.n_windows, COMP_WINDOWS_MAX - 1, "removing a window");
        ok(comp_desktop_find(&d, c[1]) == NULL, "it is gone");
        ok(comp_desktop_window_at(&d, COMP_GAP + 1, COMP_GAP + 1)->channel == c[0] ||
           comp_desktop_window_at(&d, COMP_GAP + 1, COMP_GAP + 1)->frame.x <= COMP_GAP + 1,
           "window_at finds a window at the top left");
        for (unsigned i = 0; i < COMP_WINDOWS_MAX; i++)
                drop(c[i]);
        comp_desktop_free(&d);
}

static uint32_t px(const struct comp_desktop *d, int32_t x, int32_t y)
{
        return d->shadow[(size_t)y * d->width + x];
}

/* Every pixel: inside the surface, the client's pixel; on the frame, the
 * frame colour or white title text; elsewhere, the background. */
static unsigned wrong_pixels(const struct comp_desktop *d, const struct comp_window *w,
                             uint32_t bg, uint32_t frame)
{
        struct comp_rect f = w->frame, c = comp_window_content(w);
        unsigned wrong = 0;

        for (int32_t y = 0; y < (int32_t)d->height; y++)
                for (int32_t x = 0; x < (int32_t)d->width; x++) {
                        uint32_t v = px(d, x, y);
                        bool in_f = x >= f.x && y >= f.y && x < f.x + f.w && y < f.y + f.h;
                        bool in_c = x >= c.x && y >= c.y && x < c.x + c.w && y < c.y + c.h;
                        if (in_c)
                                wrong += v != w->channel->surface[(y - c.y) * c.w + (x - c.x)];
                        else if (in_f)
                                wrong += v != frame && v != 0xffffff;
                        else
                                wrong += v != bg;
                }
        return wrong;
}

static void check_compose(void)
{
        struct comp_pattern bg = { .kind = COMP_PATTERN_SOLID, .rgb = { 0x10, 0x20, 0x30 } };
        struct comp_desktop d;
        struct comp_channel *c = channel(64, 32, "Hi", 0);
        struct comp_window *w;
        struct comp_damage sd;
        unsigned text = 0;

        for (uint32_t i = 0; i < 64 * 32; i++)
                c->surface[i] = i * 7919u & 0xffffff;
        comp_desktop_init(&d, SW, SH, &bg);
        comp_desktop_compose(&d);
        comp_damage_init(&d.damage, R(0, 0, SW, SH));
        w = comp_desktop_add(&d, c);
        comp_desktop_set_focus(&d, c);
        ok(d.damage.n >= 1 && comp_rect_contains(d.damage.rects[0], w->frame), "a new window damages its frame");
        comp_desktop_compose(&d);
        is_int(wrong_pixels(&d, w, 0x102030, w->colour), 0, "background, frame, surface: every pixel");
        for (int32_t y = w->frame.y; y < w->frame.y + COMP_BORDER + COMP_TITLE_HEIGHT; y++)
                for (int32_t x = w->frame.x; x < w->frame.x + w->frame.w; x++)
                        text += px(&d, x, y) == 0xffffff;
        ok(text > 10, "the title bar has text (%u pixels)", text);

        /* A damage-only update: only its rectangle is recomposed. */
        comp_damage_init(&d.damage, R(0, 0, SW, SH));
        for (uint32_t i = 0; i < 64 * 32; i++)
                c->surface[i] = 0xabcdef;
        comp_damage_init(&sd, R(0, 0, 64, 32));
        comp_damage_add(&sd, R(8, 4, 4, 2));
        comp_desktop_surface_damage(&d, w, &sd);
        struct comp_rect cr = comp_window_content(w);
        ok(d.damage.n == 1 && same(d.damage.rects[0], R(cr.x + 8, cr.y + 4, 4, 2)),
           "surface damage lands at the window's place on screen");
        comp_desktop_compose(&d);
        unsigned changed = 0;
        for (int32_t y = 0; y < SH; y++)
                for (int32_t x = 0; x < SW; x++)
                        changed += px(&d, x, y) == 0xabcdef;
        is_int(changed, 8, "only the 8 damaged pixels changed");

        comp_desktop_move(&d, w, 300, 200);
        comp_desktop_compose(&d);
        is_int(wrong_pixels(&d, w, 0x102030, w->colour), 0, "moved: every pixel right, old place cleared");
        comp_damage_init(&d.damage, R(0, 0, SW, SH));
        comp_desktop_move_cursor(&d, 10, 10);
        comp_desktop_compose(&d);
        ok(px(&d, 10, 10) == 0 && px(&d, 12, 15) == 0xffffff, "the cursor is drawn");
        comp_desktop_move_cursor(&d, 100, 10);
        comp_desktop_compose(&d);
        ok(px(&d, 10, 10) == 0x102030 && px(&d, 12, 15) == 0x102030, "and erased where it was");
        comp_desktop_remove(&d, c);
        comp_desktop_compose(&d);
        is_int(px(&d, 310, 230), 0x102030, "a removed window leaves the background");
        drop(c);
        comp_desktop_free(&d);
}

/* The flush's copy into a 16-bit and a 24-bit screen: only the rectangle,
 * each pixel converted. */
static void check_blit(void)
{
        uint32_t src[8 * 4];
        uint8_t dst[8 * 4 * 3];
        struct comp_canvas s = { src, 8, 4, 32, comp_format_by_name("XRGB8888") };
        const char *names[2] = { "RGB565", "RGB888" };

        for (unsigned i = 0; i < 32; i++)
                src[i] = 0x123456u * (i + 1) & 0xffffff;
        for (int f = 0; f < 2; f++) {
                struct comp_canvas d = { dst, 8, 4, 8 * 3, comp_format_by_name(names[f]) };
                unsigned bytes = comp_format_bytes(d.format), wrong = 0;

                memset(dst, 0xee, sizeof(dst));
                comp_blit(&d, &s, R(2, 1, 3, 2));
                for (int y = 0; y < 4; y++)
                        for (int x = 0; x < 8; x++) {
                                bool in = x >= 2 && x < 5 && y >= 1 && y < 3;
                                uint32_t v = src[y * 8 + x];
                                uint32_t want = in ? comp_pack(d.format, (uint8_t)(v >> 16),
                                                               (uint8_t)(v >> 8), (uint8_t)v)
                                                   : comp_pixel_load(d.format, (uint8_t[4]) { 0xee, 0xee, 0xee, 0xee });
                                wrong += comp_pixel_load(d.format, dst + y * d.stride + x * bytes) != want;
                        }
                is_int(wrong, 0, "blit into %s: the rectangle converted, the rest untouched", names[f]);
        }
}

int main(void)
{
        check_blit();
        check_damage();
        check_placement();
        check_compose();
        return tap_done();
}
