/* compositor/session.c: the desktop's loop (STYLE.md item 19): one poll
 * over the signal fd, the input devices and the channels' doorbells (MSI-X
 * through VFIO, doorbell.c), with a short timeout while a window's channel
 * has no doorbell and must be polled, a long one (a safety round: a
 * doorbell the device never rings still shows the frames) otherwise.
 * Whatever rings, and however often, a wake costs one round.
 *
 * Each round: every SCAN_MS look for channels and input devices and
 * re-check headers; every round check heartbeats, take new frames, then
 * compose and flush the damage. Window changes are logged after the flush
 * that shows them, so a test that sees the line sees the pixels. */
#include "config.h"

#include <errno.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "compositor/desktop.h"
#include "compositor/input.h"
#include "compositor/session.h"
#include "compositor/sources.h"

#define PROGRAM "thatte-compositor"
#define SCAN_MS 500
#define CHECK_MS 1000
#define FRAME_POLL_MS 10
#define IDLE_POLL_MS 100
#define BELL_POLL_MS 100        /* windows whose channels all have doorbells */

struct session {
        const struct comp_options *o;
        struct comp_display *d;
        struct comp_sources sources;
        struct comp_desktop desk;
        bool have_desk;
        struct comp_input input;
        uint64_t next_scan, next_check;
        struct comp_channel *shown[COMP_SOURCES_MAX];   /* windows to log after the flush */
        unsigned n_shown;
        struct comp_channel *taken[COMP_SOURCES_MAX];   /* frames to log (--log-frames) */
        unsigned n_taken;
        struct comp_channel *drag;      /* its window's title bar is being dragged
                                         * (windows move in the array: not a window *) */
        int32_t drag_dx, drag_dy;
        bool button_sent;               /* a press went to the focused client */
};

static uint64_t now_ms(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static uint64_t now_ns(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void say_once(struct comp_source *src, const char *reason)
{
        if (strcmp(src->reason, reason) == 0)
                return;
        snprintf(src->reason, sizeof(src->reason), "%s", reason);
        /* No magic: nobody has filled the region yet, or the client has
         * closed it. Both are normal, so quiet. */
        if (strcmp(reason, "no channel magic") != 0)
                fprintf(stderr, "%s: channel %s ignored: %s\n", PROGRAM, src->path, reason);
}

static void send(struct comp_channel *c, uint32_t type, uint32_t code, int32_t x, int32_t y,
                 int32_t value)
{
        struct tdc_input_event e = { .type = type, .code = code, .x = x, .y = y, .value = value,
                                     .time_ns = now_ns() };

        comp_channel_input(c, &e);
}

static void focus(struct session *s, struct comp_channel *c)
{
        if (s->desk.focus == c)
                return;
        if (s->desk.focus)
                send(s->desk.focus, TDC_INPUT_FOCUS, 0, 0, 0, 0);
        comp_desktop_set_focus(&s->desk, c);
        if (c)
                send(c, TDC_INPUT_FOCUS, 0, 0, 0, 1);
}

/* why: said after "gone" when the client did not simply stop. */
static void close_source(struct session *s, struct comp_source *src, const char *why)
{
        if (src->window) {
                if (s->drag == &src->channel)
                        s->drag = NULL;
                if (s->desk.focus == &src->channel)
                        comp_desktop_set_focus(&s->desk, NULL);
                comp_desktop_remove(&s->desk, &src->channel);
                fprintf(stderr, "%s: client %s gone%s%s\n", PROGRAM, src->channel.info.title,
                        why ? ": " : "", why ? why : "");
                for (unsigned i = 0; i < s->n_shown; i++)
                        if (s->shown[i] == &src->channel)
                                s->shown[i] = s->shown[--s->n_shown];
                for (unsigned i = 0; i < s->n_taken; i++)
                        if (s->taken[i] == &src->channel)
                                s->taken[i] = s->taken[--s->n_taken];
        }
        comp_channel_close(&src->channel);
        src->open = src->window = false;
}

static void try_open(struct session *s, struct comp_source *src, uint64_t now)
{
        char err[160];

        if (comp_channel_open(&src->channel, src->map, src->size, now, err, sizeof(err)) < 0) {
                say_once(src, err);
                return;
        }
        src->channel.bell = comp_source_bell(src);
        src->open = true;
        src->reason[0] = '\0';
}

/* The header no longer says what the window was opened with: the window
 * goes; a valid new header comes back as a new window at the next scan. */
static void changed(struct session *s, struct comp_source *src)
{
        struct comp_channel_info info;
        char why[160];
        bool valid = comp_channel_check(src->map, src->size, &info, why, sizeof(why)) == 0;

        close_source(s, src, NULL);
        if (!valid)
                say_once(src, why);
}

/* The memory behind src is not what was mapped (a host file removed,
 * replaced, resized, or faulting): the window goes, saying why, and the
 * mapping with it; the next scan maps whatever the path names then. */
static void drop(struct session *s, struct comp_source *src, const char *why)
{
        close_source(s, src, why);
        comp_source_unmap(src);
}

static void refresh(struct session *s, struct comp_source *src, uint64_t now)
{
        char why[160];

        if (src->open && src->channel.lost)
                drop(s, src, COMP_CHANNEL_LOST);
        else if (src->map && comp_source_moved(src, why, sizeof(why)))
                drop(s, src, why);
        if (!src->map && comp_source_map(src, !s->o->no_doorbell, why, sizeof(why)) < 0) {
                say_once(src, why);
                return;
        }
        if (!src->open)
                try_open(s, src, now);
        else if (!comp_channel_same(&src->channel))
                changed(s, src);
}

static void scan(struct session *s, uint64_t now)
{
        char err[640];

        if (s->o->n_channels == 0)
                comp_sources_scan_pci(&s->sources, COMP_PCI_DEVICES);
        for (unsigned i = 0; i < s->o->n_channels; i++)
                if (comp_sources_add(&s->sources, s->o->channels[i], err, sizeof(err)) < 0 &&
                    s->next_scan == 0)
                        fprintf(stderr, "%s: %s\n", PROGRAM, err);
        comp_input_scan(&s->input, COMP_INPUT_DIR);
        for (unsigned i = 0; i < s->sources.n; i++)
                refresh(s, &s->sources.items[i], now);
}

static int ensure_desktop(struct session *s)
{
        int r;

        if (s->have_desk)
                return 0;
        r = comp_desktop_init(&s->desk, s->d->width, s->d->height, &s->o->pattern);
        if (r < 0)
                return r;
        s->have_desk = true;
        return 0;
}

static void show(struct session *s, struct comp_source *src)
{
        if (ensure_desktop(s) < 0 || !comp_desktop_add(&s->desk, &src->channel)) {
                say_once(src, "no room for another window");
                return;
        }
        src->window = true;
        s->shown[s->n_shown++] = &src->channel;
}

static void update_source(struct session *s, struct comp_source *src, uint64_t now)
{
        struct comp_damage damage;
        struct comp_window *w;
        bool alive = comp_channel_alive(&src->channel, now);

        if (src->channel.lost)
                return;
        if (src->window && !alive)
                close_source(s, src, NULL);     /* reopened by the next scan */
        else if (!src->window && alive && src->channel.heartbeat_moved)
                show(s, src);
        if (!src->window || !(w = comp_desktop_find(&s->desk, &src->channel)))
                return;
        comp_damage_init(&damage, (struct comp_rect) { 0, 0,
                         (int32_t)src->channel.info.width, (int32_t)src->channel.info.height });
        if (comp_channel_read(&src->channel, &damage) <= 0)
                return;
        comp_desktop_surface_damage(&s->desk, w, &damage);
        if (s->o->log_frames)
                s->taken[s->n_taken++] = &src->channel;
}

static void update(struct session *s, uint64_t now)
{
        for (unsigned i = 0; i < s->sources.n; i++) {
                struct comp_source *src = &s->sources.items[i];

                if (src->open && !src->channel.lost)
                        update_source(s, src, now);
                /* Faulted now, or in an input event since the last round. */
                if (src->open && src->channel.lost)
                        drop(s, src, COMP_CHANNEL_LOST);
        }
}

/* The time-stamp counter, 0 where there is none. Under thatte-mk the
 * guest's RDTSC has no offset: the root task, a client outside the guest,
 * reads the same counter (tests/bench/mk-doorbell.sh). */
static unsigned long long tsc(void)
{
#if defined(__x86_64__)
        return __builtin_ia32_rdtsc();
#else
        return 0;
#endif
}

/* After the flush: when each frame taken this round reached the screen,
 * on the clock a client in the same guest reads too, and on the TSC. */
static void log_frames(struct session *s)
{
        uint64_t t = now_ns();
        unsigned long long ticks = tsc();

        for (unsigned i = 0; i < s->n_taken; i++)
                fprintf(stderr, "%s: frame %s %llu on screen at %llu tsc %llu\n", PROGRAM,
                        s->taken[i]->info.title, (unsigned long long)s->taken[i]->last_seq,
                        (unsigned long long)t, ticks);
        s->n_taken = 0;
}

static int repaint(struct session *s)
{
        struct comp_canvas shadow;
        int r;

        if (!s->have_desk || s->desk.damage.n == 0)
                return 0;
        comp_desktop_compose(&s->desk);
        shadow = comp_desktop_canvas(&s->desk);
        r = s->d->ops->flush(s->d, &shadow, &s->desk.damage);
        comp_damage_init(&s->desk.damage, s->desk.damage.bound);
        if (r < 0)
                return r;
        for (unsigned i = 0; i < s->n_shown; i++) {
                struct comp_window *w = comp_desktop_find(&s->desk, s->shown[i]);
                struct comp_rect c = comp_window_content(w);
                fprintf(stderr, "%s: client %s %ux%u at %d,%d\n", PROGRAM, w->channel->info.title,
                        w->channel->info.width, w->channel->info.height, c.x, c.y);
        }
        s->n_shown = 0;
        log_frames(s);
        return 0;
}

static bool inside(struct comp_rect r, int32_t x, int32_t y)
{
        return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static void press(struct session *s, const struct comp_input_event *e)
{
        struct comp_window *w = comp_desktop_window_at(&s->desk, e->x, e->y);

        if (!w) {
                focus(s, NULL);
                return;
        }
        w = comp_desktop_raise(&s->desk, w);
        focus(s, w->channel);
        if (e->code == BTN_LEFT && inside(comp_window_title_bar(w), e->x, e->y)) {
                s->drag = w->channel;
                s->drag_dx = e->x - w->frame.x;
                s->drag_dy = e->y - w->frame.y;
                return;
        }
        if (inside(comp_window_content(w), e->x, e->y)) {
                struct comp_rect c = comp_window_content(w);
                send(w->channel, TDC_INPUT_BUTTON, e->code, e->x - c.x, e->y - c.y, 1);
                s->button_sent = true;
        }
}

static void pointer(struct session *s, const struct comp_input_event *e)
{
        struct comp_window *w = s->desk.focus ? comp_desktop_find(&s->desk, s->desk.focus) : NULL;
        struct comp_rect c = w ? comp_window_content(w) : (struct comp_rect) { 0, 0, 0, 0 };
        struct comp_window *dw = s->drag ? comp_desktop_find(&s->desk, s->drag) : NULL;

        if (e->kind == COMP_INPUT_MOTION) {
                comp_desktop_move_cursor(&s->desk, e->x, e->y);
                if (dw)
                        comp_desktop_move(&s->desk, dw, e->x - s->drag_dx, e->y - s->drag_dy);
                else if (w && inside(c, e->x, e->y))
                        send(w->channel, TDC_INPUT_MOTION, 0, e->x - c.x, e->y - c.y, 0);
        } else if (e->value == 1) {
                press(s, e);
        } else if (e->value == 0) {
                if (w && s->button_sent)
                        send(w->channel, TDC_INPUT_BUTTON, e->code, e->x - c.x, e->y - c.y, 0);
                s->drag = NULL;
                s->button_sent = false;
        }
}

static void on_input(void *ctx, const struct comp_input_event *e)
{
        struct session *s = ctx;

        if (!s->have_desk || s->desk.n_windows == 0)
                return;         /* nobody to give it to: the gradient stays */
        if (e->kind == COMP_INPUT_KEY) {
                if (s->desk.focus)
                        send(s->desk.focus, TDC_INPUT_KEY, e->code, 0, 0, e->value);
                return;
        }
        pointer(s, e);
}

/* The doorbells to wait on, into p; *all_rung: every window's channel
 * has one (else it must be polled at FRAME_POLL_MS). */
static unsigned bell_pollfds(struct session *s, struct pollfd *p, bool *all_rung)
{
        unsigned n = 0;

        *all_rung = true;
        for (unsigned i = 0; i < s->sources.n; i++) {
                const struct comp_source *src = &s->sources.items[i];
                int fd = comp_source_bell_fd(src);

                if (fd >= 0)
                        p[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
                else if (src->window)
                        *all_rung = false;
        }
        return n;
}

/* 1: a signal; 0: go on; -errno: poll failed. */
static int wait_events(struct session *s, int sfd)
{
        struct pollfd p[1 + COMP_SOURCES_MAX + COMP_INPUT_DEVICES_MAX] = {
                { .fd = sfd, .events = POLLIN } };
        bool all_rung;
        unsigned bells = bell_pollfds(s, p + 1, &all_rung);
        unsigned n = 1 + bells + comp_input_pollfds(&s->input, p + 1 + bells, COMP_INPUT_DEVICES_MAX);
        int timeout = !(s->have_desk && s->desk.n_windows) ? IDLE_POLL_MS
                      : all_rung ? BELL_POLL_MS : FRAME_POLL_MS;

        if (poll(p, n, timeout) < 0)
                return errno == EINTR ? 0 : -errno;
        if (p[0].revents & POLLIN)
                return 1;
        /* Read, not acted on: the round that follows looks at every channel. */
        for (unsigned i = 1; i <= bells; i++)
                if (p[i].revents)
                        comp_doorbell_drain(p[i].fd);
        for (unsigned i = n - 1; i > bells; i--)
                if (p[i].revents)
                        comp_input_read(&s->input, i - 1 - bells, on_input, s);
        return 0;
}

static int round_trip(struct session *s, int sfd)
{
        uint64_t now = now_ms();
        int r;

        if (now >= s->next_check) {
                r = s->d->ops->check(s->d);
                if (r < 0)
                        return r;
                s->next_check = now + CHECK_MS;
        }
        if (now >= s->next_scan) {
                scan(s, now);
                s->next_scan = now + SCAN_MS;
        }
        update(s, now);
        r = repaint(s);
        if (r < 0)
                return r;
        return wait_events(s, sfd);
}

int comp_session_run(const struct comp_options *o, struct comp_display *d, int sfd)
{
        struct session s = { .o = o, .d = d, .next_check = now_ms() + CHECK_MS };
        int r;

        comp_input_init(&s.input, d->width, d->height);
        do
                r = round_trip(&s, sfd);
        while (r == 0);
        if (r < 0)
                fprintf(stderr, "%s: %s\n", PROGRAM,
                        d->error[0] ? d->error : strerror(-r));
        for (unsigned i = 0; i < s.sources.n; i++)
                if (s.sources.items[i].open)
                        comp_channel_close(&s.sources.items[i].channel);
        comp_sources_free(&s.sources);
        comp_input_close(&s.input);
        if (s.have_desk)
                comp_desktop_free(&s.desk);
        return r;
}
