/* compositor/client/main.c: thatte-display-client: map a display channel,
 * write its header, publish the first frame (and the animation's), keep
 * the heartbeat and print the input events, until a signal or the end
 * asked for with --once. One loop every TICK_MS; no threads. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compositor/client/draw.h"
#include "compositor/client/map.h"
#include "compositor/client/options.h"
#include "compositor/client/publish.h"

#define PROG "thatte-display-client"
#define TICK_MS 10u
#define FRAME_MS 40u
#define BEAT_MS 100u
#define DEFAULT_W 320u
#define DEFAULT_H 200u

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
        stop_signal = sig;
}

static void catch_signals(void)
{
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
}

static uint64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void nap(void)
{
        struct timespec ts = { 0, TICK_MS * 1000000l };

        nanosleep(&ts, NULL);
}

/* The surface and the background the square moves over. */
struct picture {
        uint32_t w, h;
        uint32_t *bg, *surface;
};

static int make_picture(const struct tdcc_options *o, struct picture *p)
{
        uint32_t *img = NULL, iw = 0, ih = 0;
        int r;

        if (o->image) {
                r = tdcc_ppm_read(o->image, &img, &iw, &ih);
                if (r < 0) {
                        fprintf(stderr, PROG ": %s: %s\n", o->image,
                                r == -EINVAL ? "not a binary PPM (P6)" : strerror(-r));
                        return r;
                }
        }
        p->w = o->width ? o->width : iw ? iw : DEFAULT_W;
        p->h = o->height ? o->height : ih ? ih : DEFAULT_H;
        p->bg = calloc((size_t)p->w * p->h, 4);
        p->surface = malloc((size_t)p->w * p->h * 4);
        if (!p->bg || !p->surface) {
                free(img);
                fprintf(stderr, PROG ": out of memory\n");
                return -ENOMEM;
        }
        if (img) {
                for (uint32_t y = 0; y < p->h && y < ih; y++)
                        memcpy(p->bg + (size_t)y * p->w, img + (size_t)y * iw,
                               (size_t)(p->w < iw ? p->w : iw) * 4);
                free(img);
        } else {
                tdcc_draw(p->bg, p->w, p->h, p->w, &o->look);
        }
        memcpy(p->surface, p->bg, (size_t)p->w * p->h * 4);
        return 0;
}

/* Frame n of the animation in the surface: the square leaves its place in
 * frame n - 1 (the background comes back) and appears at its new one. */
static void animate(struct picture *p, uint64_t n, struct tdcc_damage *d)
{
        struct tdc_rect old = tdcc_square(n - 1, p->w, p->h), now = tdcc_square(n, p->w, p->h);

        d->count = 0;
        if (n > 1) {
                tdcc_copy_rect(p->surface, p->bg, p->w, old);
                tdcc_damage_add(d, old, p->w, p->h);
        }
        tdcc_fill_rect(p->surface, p->w, now, TDCC_SQUARE_COLOR);
        tdcc_damage_add(d, now, p->w, p->h);
}

static void print_event(const struct tdc_input_event *ev)
{
        switch (ev->type) {
        case TDC_INPUT_KEY:
                printf(PROG ": key %u %d\n", ev->code, ev->value);
                break;
        case TDC_INPUT_BUTTON:
                printf(PROG ": button %u %d %d %d\n", ev->code, ev->value, ev->x, ev->y);
                break;
        case TDC_INPUT_MOTION:
                printf(PROG ": motion %d %d\n", ev->x, ev->y);
                break;
        case TDC_INPUT_FOCUS:
                printf(PROG ": focus %d\n", ev->value);
                break;
        default:
                printf(PROG ": unknown input event type %u\n", ev->type);
        }
}

struct run {
        const struct tdcc_options *o;
        struct tdcc_channel ch;
        struct picture pic;
        uint64_t next_frame, next_beat, reported;
        struct tdcc_damage damage; /* of the frame drawn and not yet published */
        int pending;
        int done;               /* no more frames to publish */
};

/* Publish the next frame if it is due and a buffer is free. A frame that
 * found no free buffer stays drawn, with its damage, for the next tick. */
static void maybe_publish(struct run *r, uint64_t now)
{
        if (r->done || now < r->next_frame)
                return;
        if (!r->pending) {
                r->damage.count = TDC_DAMAGE_ALL;
                if (r->o->animate)
                        animate(&r->pic, r->ch.seq + 1, &r->damage);
                r->pending = 1;
        }
        if (tdcc_publish(&r->ch, r->pic.surface, r->pic.w, &r->damage) < 0)
                return;
        r->pending = 0;
        r->next_frame = now + FRAME_MS;
        if (!r->o->animate || (r->o->frames && r->ch.seq >= r->o->frames) || r->o->once) {
                r->done = 1;
                printf(PROG ": published %llu frames\n", (unsigned long long)r->ch.seq);
        }
}

static void tick(struct run *r)
{
        struct tdc_input_event ev;
        uint64_t now = now_ms();

        maybe_publish(r, now);
        if (now >= r->next_beat) {
                tdcc_heartbeat(&r->ch);
                r->next_beat = now + BEAT_MS;
        }
        while (tdcc_input(&r->ch, &ev))
                print_event(&ev);
        if (r->done && r->reported != r->ch.seq && tdcc_shown(&r->ch) == r->ch.seq) {
                r->reported = r->ch.seq;
                printf(PROG ": frame %llu shown\n", (unsigned long long)r->ch.seq);
        }
}

static int open_channel(const struct tdcc_options *o, struct tdcc_map *m)
{
        int r = o->where == TDCC_FILE ? tdcc_map_file(o->path, m) : tdcc_map_pci(o->path, m);

        if (r == -ENODEV)
                fprintf(stderr, PROG ": %s: no ivshmem device (PCI %04x:%04x)\n",
                        o->path ? o->path : "/sys/bus/pci/devices", TDCC_IVSHMEM_VENDOR,
                        TDCC_IVSHMEM_DEVICE);
        else if (r < 0)
                fprintf(stderr, PROG ": %s: %s\n", m->name, strerror(-r));
        return r;
}

static int run(const struct tdcc_options *o, struct tdcc_map *m)
{
        struct run r = { .o = o };
        int e = make_picture(o, &r.pic);

        if (e == 0) {
                e = tdcc_init(&r.ch, m->mem, m->size, o->title, r.pic.w, r.pic.h);
                if (e < 0)
                        fprintf(stderr, PROG ": %s: a %ux%u surface needs %s\n", m->name,
                                r.pic.w, r.pic.h, "two buffers and a header page in the channel");
        }
        if (e == 0) {
                printf(PROG ": channel %s %ux%u, %u buffers, title %s\n", m->name, r.pic.w,
                       r.pic.h, r.ch.count, o->title);
                for (;;) {
                        tick(&r);
                        if (stop_signal || (o->once && r.done))
                                break;
                        nap();
                }
                if (stop_signal) /* --once leaves the window to go stale */
                        tdcc_close(&r.ch);
        }
        free(r.pic.bg);
        free(r.pic.surface);
        return e;
}

int main(int argc, char **argv)
{
        struct tdcc_options o;
        struct tdcc_map m = { 0 };
        int r = tdcc_options_parse(argc, argv, &o);

        if (r != 0)
                return r > 0 ? 0 : 2;
        setvbuf(stdout, NULL, _IOLBF, 0);
        catch_signals();
        if (open_channel(&o, &m) < 0)
                return 1;
        r = run(&o, &m);
        tdcc_unmap(&m);
        return r < 0 ? 1 : 0;
}
