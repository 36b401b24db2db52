/* tests/bench/compositor-fill.c: how fast thatte-compositor fills a
 * 1920x1080 XRGB8888 buffer with the gradient, against memset of the same
 * buffer in the same run. Prints one line per figure and the ratio (the
 * goal is at least 0.5x memset's bandwidth). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compositor/pattern.h"

#define W 1920
#define H 1080
#define ROUNDS 7
#define ITERATIONS 60

static double now(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Best of ROUNDS, each ITERATIONS fills: seconds per fill. */
static double time_gradient(const struct comp_canvas *c)
{
        struct comp_pattern p = { .kind = COMP_PATTERN_GRADIENT };
        double best = 1e9;

        for (int r = 0; r < ROUNDS; r++) {
                double t = now();
                for (int i = 0; i < ITERATIONS; i++)
                        (void)comp_pattern_draw(&p, c, (uint64_t)i);
                t = (now() - t) / ITERATIONS;
                best = t < best ? t : best;
        }
        return best;
}

static double time_memset(void *buf, size_t size)
{
        double best = 1e9;

        for (int r = 0; r < ROUNDS; r++) {
                double t = now();
                for (int i = 0; i < ITERATIONS; i++) {
                        memset(buf, i, size);
                        __asm__ volatile("" : : "r"(buf) : "memory");
                }
                t = (now() - t) / ITERATIONS;
                best = t < best ? t : best;
        }
        return best;
}

int main(void)
{
        size_t size = (size_t)W * H * 4;
        void *buf = aligned_alloc(64, size);
        struct comp_canvas c = { buf, W, H, W * 4, comp_format_by_name("XRGB8888") };
        double g, m;

        if (!buf)
                return 1;
        memset(buf, 0, size);
        m = time_memset(buf, size);
        g = time_gradient(&c);
        printf("compositor-fill: memset %dx%d XRGB8888: %.3f ms, %.2f GB/s\n", W, H, m * 1e3, size / m / 1e9);
        printf("compositor-fill: gradient %dx%d XRGB8888: %.3f ms, %.2f GB/s\n", W, H, g * 1e3, size / g / 1e9);
        printf("compositor-fill: gradient/memset bandwidth ratio: %.2f (goal >= 0.5)\n", m / g);
        free(buf);
        return 0;
}
