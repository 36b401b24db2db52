/* tests/display/display-find.c: where does a client's surface appear on a
 * screendump? Renders what the surface must hold with the same code the
 * client uses (compositor/client/draw.c: a pattern, optionally the
 * animation's square at frame N) or the root task's picture
 * (kernel/root/paint.c), and searches the screendump (binary PPM) for it.
 *
 *   display-find SCREEN.ppm (--pattern NAME --size WxH [--square N] | --root)
 *                [--at X Y] [--absent]
 *
 * Prints `found X Y mismatches M` for the best place and exits 0 when the
 * surface is there (up to 2% of its pixels may differ: a drawn cursor over
 * it), else prints
 * `not found` and exits 1; --absent turns that round. Exit 2: bad usage
 * or an unreadable screendump. A sparse sample rejects most places before
 * a full comparison. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/client/draw.h"
#include "paint.h"
#include "thatte/bootinfo.h"
#include "tests/helpers/ppm.h"

#define TOLERANCE 3
#define SAMPLES 8

struct want {
        uint32_t w, h;
        uint32_t *px;           /* XRGB8888 */
};

static int near(const unsigned char *rgb, uint32_t v)
{
        int d[3] = { rgb[0] - (int)(v >> 16 & 0xff), rgb[1] - (int)(v >> 8 & 0xff),
                     rgb[2] - (int)(v & 0xff) };

        for (int i = 0; i < 3; i++)
                if (d[i] > TOLERANCE || d[i] < -TOLERANCE)
                        return 0;
        return 1;
}

/* Mismatching pixels of want at (x, y), stopping past limit. */
static unsigned long compare(const struct ppm *s, const struct want *w, unsigned x, unsigned y,
                             unsigned long limit)
{
        unsigned long bad = 0;

        for (uint32_t j = 0; j < w->h; j++)
                for (uint32_t i = 0; i < w->w; i++)
                        if (!near(ppm_pixel(s, x + i, y + j), w->px[(size_t)j * w->w + i]) &&
                            ++bad > limit)
                                return bad;
        return bad;
}

static int sampled(const struct ppm *s, const struct want *w, unsigned x, unsigned y)
{
        int good = 0;

        for (unsigned k = 0; k < SAMPLES; k++) {
                uint32_t i = (uint32_t)((uint64_t)w->w * (2 * k + 1) / (2 * SAMPLES));
                uint32_t j = (uint32_t)((uint64_t)w->h * ((5 * k + 2) % SAMPLES) / SAMPLES);

                good += near(ppm_pixel(s, x + i, y + j), w->px[(size_t)j * w->w + i]);
        }
        return good >= SAMPLES - 2;
}

/* The best place: the fewest mismatches, at most 2% of the pixels (a
 * place a pixel or two off can pass too, with more of them). */
static int find(const struct ppm *s, const struct want *w, long at_x, long at_y)
{
        unsigned long limit = (unsigned long)w->w * w->h / 50, bad, best = limit + 1;
        unsigned bx = 0, by = 0;

        for (unsigned y = 0; y + w->h <= s->height; y++)
                for (unsigned x = 0; x + w->w <= s->width; x++) {
                        if (at_x >= 0 && (x != at_x || y != at_y))
                                continue;
                        if (!sampled(s, w, x, y))
                                continue;
                        bad = compare(s, w, x, y, best - 1);
                        if (bad < best) {
                                best = bad;
                                bx = x;
                                by = y;
                        }
                }
        if (best > limit) {
                printf("not found\n");
                return 0;
        }
        printf("found %u %u mismatches %lu\n", bx, by, best);
        return 1;
}

static int usage(void)
{
        fprintf(stderr, "usage: display-find SCREEN.ppm (--pattern NAME --size WxH "
                        "[--square N] | --root) [--at X Y] [--absent]\n");
        return 2;
}

static int render(struct want *w, const char *pattern, const char *size, long square, int root)
{
        struct tdcc_look look;
        struct rt_pixfmt pf;

        if (root) {
                w->w = 640;
                w->h = 400;
        } else if (!pattern || !size || sscanf(size, "%ux%u", &w->w, &w->h) != 2 ||
                   w->w == 0 || w->h == 0 || w->w > 4096 || w->h > 4096 ||
                   tdcc_look_parse(pattern, &look) < 0) {
                return -EINVAL;
        }
        w->px = malloc((size_t)w->w * w->h * 4 + 8);
        if (!w->px)
                return -ENOMEM;
        if (root) {
                (void)rt_pixfmt_init(&pf, THATTE_FB_BGRX8888, 0, 0, 0);
                rt_paint(w->px, w->w, w->h, w->w, &pf, NULL);
                return 0;
        }
        tdcc_draw(w->px, w->w, w->h, w->w, &look);
        if (square > 0)
                tdcc_fill_rect(w->px, w->w, tdcc_square((uint64_t)square, w->w, w->h),
                               TDCC_SQUARE_COLOR);
        return 0;
}

int main(int argc, char **argv)
{
        const char *pattern = NULL, *size = NULL, *why = NULL;
        long square = 0, at_x = -1, at_y = -1;
        int root = 0, absent = 0, r, found;
        struct want w = { 0 };
        struct ppm screen;
        FILE *f;

        if (argc < 2)
                return usage();
        for (int i = 2; i < argc; i++) {
                if (!strcmp(argv[i], "--pattern") && i + 1 < argc)
                        pattern = argv[++i];
                else if (!strcmp(argv[i], "--size") && i + 1 < argc)
                        size = argv[++i];
                else if (!strcmp(argv[i], "--square") && i + 1 < argc)
                        square = atol(argv[++i]);
                else if (!strcmp(argv[i], "--at") && i + 2 < argc) {
                        at_x = atol(argv[++i]);
                        at_y = atol(argv[++i]);
                } else if (!strcmp(argv[i], "--root"))
                        root = 1;
                else if (!strcmp(argv[i], "--absent"))
                        absent = 1;
                else
                        return usage();
        }
        if (render(&w, pattern, size, square, root) < 0)
                return usage();
        f = fopen(argv[1], "rb");
        if (!f || (r = ppm_read(f, &screen, &why)) < 0) {
                fprintf(stderr, "display-find: %s: %s\n", argv[1],
                        why ? why : strerror(f ? -r : errno));
                return 2;
        }
        fclose(f);
        found = find(&screen, &w, at_x, at_y);
        ppm_free(&screen);
        free(w.px);
        return found != absent ? 0 : 1;
}
