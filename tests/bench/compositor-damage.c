/* tests/bench/compositor-damage.c: what a 64x64 damage update costs the
 * compositor against a full-screen repaint, at 1280x800, in one run.
 *
 * Both go the whole way the session goes: take the frame from a channel in
 * memory (copy the damage out), compose the damaged screen rectangles into
 * the shadow buffer, copy them to a "scanout" buffer (as drm/fbdev flush
 * do). The update is a 64x64 rectangle of a 640x400 client window; the
 * repaint is the whole screen with that window on it (as on a mode
 * change). Times are the best of ROUNDS, each the mean of ITERATIONS.
 * Goal: update / repaint <= 1/50. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compositor/blit.h"
#include "compositor/desktop.h"
#include "tests/compositor/channel-fixture.h"

#define W 1280
#define H 800
#define CW 640
#define CH 400
#define SIZE (4u << 20)
#define ROUNDS 7

static double now(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + t.tv_nsec / 1e9;
}

struct bench {
        struct tdc_header *mem;
        struct comp_channel channel;
        struct comp_desktop desk;
        struct comp_window *window;
        struct comp_canvas scanout;
        uint64_t seq;
};

/* One frame: the client publishes (damage rect, or everything), the
 * compositor takes it, composes, flushes. */
static void frame(struct bench *b, bool full)
{
        struct tdc_rect r = { (uint32_t)(b->seq * 8 % (CW - 64)), (uint32_t)(b->seq * 4 % (CH - 64)), 64, 64 };
        struct comp_damage sd;
        struct comp_canvas shadow;

        b->seq++;
        fixture_publish(b->mem, (unsigned)(b->seq % 2), b->seq, &r, full ? TDC_DAMAGE_ALL : 1);
        comp_damage_init(&sd, (struct comp_rect) { 0, 0, CW, CH });
        (void)comp_channel_read(&b->channel, &sd);
        comp_desktop_surface_damage(&b->desk, b->window, &sd);
        if (full)
                comp_damage_all(&b->desk.damage);
        comp_desktop_compose(&b->desk);
        shadow = comp_desktop_canvas(&b->desk);
        for (unsigned i = 0; i < b->desk.damage.n; i++)
                comp_blit(&b->scanout, &shadow, b->desk.damage.rects[i]);
        comp_damage_init(&b->desk.damage, b->desk.damage.bound);
}

static double seconds_per_frame(struct bench *b, bool full, int iterations)
{
        double best = 1e9;

        for (int r = 0; r < ROUNDS; r++) {
                double t = now();
                for (int i = 0; i < iterations; i++)
                        frame(b, full);
                __asm__ volatile("" : : "r"(b->scanout.pixels) : "memory");
                t = (now() - t) / iterations;
                best = t < best ? t : best;
        }
        return best;
}

int main(void)
{
        struct comp_pattern bg = { .kind = COMP_PATTERN_GRADIENT };
        struct bench b = { .seq = 0 };
        char err[128];
        double update, repaint;

        b.mem = fixture_channel(SIZE, CW, CH, "bench");
        b.scanout = (struct comp_canvas) { malloc((size_t)W * H * 4), W, H, W * 4,
                                           comp_format_by_name("XRGB8888") };
        if (!b.scanout.pixels || comp_channel_open(&b.channel, b.mem, SIZE, 0, err, sizeof(err)) < 0 ||
            comp_desktop_init(&b.desk, W, H, &bg) < 0) {
                fprintf(stderr, "compositor-damage: setup failed\n");
                return 1;
        }
        memset(fixture_pixels(b.mem, 0), 0x40, (size_t)CW * CH * 4);
        memset(fixture_pixels(b.mem, 1), 0x80, (size_t)CW * CH * 4);
        b.window = comp_desktop_add(&b.desk, &b.channel);
        frame(&b, true);
        repaint = seconds_per_frame(&b, true, 20);
        update = seconds_per_frame(&b, false, 2000);
        printf("compositor-damage: full-screen repaint %dx%d: %.3f ms\n", W, H, repaint * 1e3);
        printf("compositor-damage: 64x64 damage update: %.2f us\n", update * 1e6);
        printf("compositor-damage: update/repaint ratio: 1/%.0f (goal <= 1/50)\n", repaint / update);
        comp_desktop_free(&b.desk);
        comp_channel_close(&b.channel);
        free(b.scanout.pixels);
        free(b.mem);
        return 0;
}
