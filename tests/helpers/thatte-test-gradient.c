/* thatte-test-gradient: check a screendump against the default picture.
 *
 *   thatte-test-gradient [--grid N] [--tolerance T] [--min-fraction F]
 *                        [--expect-size WxH] FILE.ppm
 *
 * Samples an N x N grid spread over the whole image, edges included, and
 * compares each sample with DESIGN.md's gradient. Prints
 * "gradient: M/N samples within T (WxH)"; exit 0 when at least the given
 * fraction matched, 1 when not (first mismatches as "# x,y: got ... want ..."
 * lines), 2 on usage or file format errors. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient.h"
#include "ppm.h"

#define PROGRAM "thatte-test-gradient"
#define MAX_SHOWN_MISMATCHES 5

struct options {
        unsigned grid;
        unsigned tolerance;
        double min_fraction;
        unsigned expect_w, expect_h;    /* 0 when not given */
        const char *path;
};

struct tally {
        unsigned samples;
        unsigned matching;
};

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: " PROGRAM " [OPTION]... FILE.ppm\n"
                "Check a binary PPM screendump against THATTE's default gradient.\n"
                "\n"
                "  -g, --grid N             sample an N x N grid (default 33)\n"
                "  -t, --tolerance T        allowed difference per channel (default 4)\n"
                "  -f, --min-fraction F     fraction of samples that must match (default 0.97)\n"
                "  -s, --expect-size WxH    fail unless the image is W x H pixels\n"
                "  -h, --help               show this help and exit\n"
                "  -V, --version            show the version and exit\n"
                "\n"
                "Exit status: 0 when enough samples match, 1 when not, 2 on usage\n"
                "or file format errors.\n");
}

static int parse_unsigned(const char *arg, unsigned min, unsigned max, unsigned *ret)
{
        char *end;
        unsigned long v;

        if (arg[0] < '0' || arg[0] > '9')
                return -EINVAL;
        errno = 0;
        v = strtoul(arg, &end, 10);
        if (errno != 0 || *end != '\0' || v < min || v > max)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

static int parse_fraction(const char *arg, double *ret)
{
        char *end;
        double v;

        errno = 0;
        v = strtod(arg, &end);
        if (errno != 0 || end == arg || *end != '\0' || !(v >= 0 && v <= 1))
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_size(const char *arg, unsigned *ret_w, unsigned *ret_h)
{
        char buf[32], *x;
        unsigned w, h;

        if (strlen(arg) >= sizeof buf)
                return -EINVAL;
        strcpy(buf, arg);
        x = strchr(buf, 'x');
        if (!x)
                return -EINVAL;
        *x = '\0';
        if (parse_unsigned(buf, 1, PPM_MAX_SIDE, &w) < 0 ||
            parse_unsigned(x + 1, 1, PPM_MAX_SIDE, &h) < 0)
                return -EINVAL;
        *ret_w = w;
        *ret_h = h;
        return 0;
}

static int parse_option(int c, const char *arg, struct options *o)
{
        switch (c) {
        case 'g':
                return parse_unsigned(arg, 1, 4096, &o->grid);
        case 't':
                return parse_unsigned(arg, 0, 255, &o->tolerance);
        case 'f':
                return parse_fraction(arg, &o->min_fraction);
        case 's':
                return parse_size(arg, &o->expect_w, &o->expect_h);
        default:
                return -EINVAL;
        }
}

/* Returns -1 to go on, otherwise the exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
        static const struct option longopts[] = {
                { "grid", required_argument, NULL, 'g' },
                { "tolerance", required_argument, NULL, 't' },
                { "min-fraction", required_argument, NULL, 'f' },
                { "expect-size", required_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                {}
        };
        int c;

        *o = (struct options){ .grid = 33, .tolerance = 4, .min_fraction = 0.97 };
        while ((c = getopt_long(argc, argv, "g:t:f:s:hV", longopts, NULL)) != -1) {
                if (c == 'h') {
                        usage(stdout);
                        return 0;
                }
                if (c == 'V') {
                        printf(PROGRAM " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
                        return 0;
                }
                if (c == '?') {
                        usage(stderr);
                        return 2;
                }
                if (parse_option(c, optarg, o) < 0) {
                        fprintf(stderr, PROGRAM ": invalid value for -%c: %s\n", c, optarg);
                        return 2;
                }
        }
        if (argc - optind != 1) {
                fprintf(stderr, PROGRAM ": expected exactly one FILE.ppm\n");
                usage(stderr);
                return 2;
        }
        o->path = argv[optind];
        return -1;
}

static int load(const char *path, struct ppm *ret)
{
        const char *why = NULL;
        FILE *f;
        int r;

        f = fopen(path, "rbe");
        if (!f) {
                fprintf(stderr, PROGRAM ": %s: %s\n", path, strerror(errno));
                return -errno;
        }
        r = ppm_read(f, ret, &why);
        (void)fclose(f);
        if (r == -EBADMSG)
                fprintf(stderr, PROGRAM ": %s: %s\n", path, why);
        else if (r < 0)
                fprintf(stderr, PROGRAM ": %s: %s\n", path, strerror(-r));
        return r;
}

/* Compares the grid's samples; prints the first SHOW mismatches. */
static struct tally check_grid(const struct ppm *img, const struct options *o, unsigned show)
{
        struct tally t = { 0, 0 };

        for (unsigned j = 0; j < o->grid; j++) {
                unsigned y = gradient_sample_coord(j, o->grid, img->height);

                for (unsigned i = 0; i < o->grid; i++) {
                        unsigned x = gradient_sample_coord(i, o->grid, img->width);
                        const unsigned char *got = ppm_pixel(img, x, y);
                        unsigned char want[3];

                        gradient_expected(x, y, img->width, img->height, want);
                        t.samples++;
                        if (gradient_within(got, want, o->tolerance)) {
                                t.matching++;
                        } else if (t.samples - t.matching <= show) {
                                printf("# %u,%u: got %u,%u,%u want %u,%u,%u\n", x, y,
                                       got[0], got[1], got[2], want[0], want[1], want[2]);
                        }
                }
        }
        return t;
}

static int verdict(const struct ppm *img, const struct options *o)
{
        struct tally t = check_grid(img, o, 0);

        printf("gradient: %u/%u samples within %u (%ux%u)\n", t.matching, t.samples,
               o->tolerance, img->width, img->height);
        if (t.matching < t.samples)
                (void)check_grid(img, o, MAX_SHOWN_MISMATCHES);
        if (o->expect_w && (img->width != o->expect_w || img->height != o->expect_h)) {
                printf("# size: got %ux%u want %ux%u\n", img->width, img->height,
                       o->expect_w, o->expect_h);
                return 1;
        }
        /* The epsilon keeps a fraction that is exactly reached (say 0.5 of
         * 1000) from failing on floating-point rounding. */
        return (double)t.matching >= o->min_fraction * t.samples - 1e-9 ? 0 : 1;
}

int main(int argc, char **argv)
{
        struct options o;
        struct ppm img = { 0 };
        int r;

        r = parse_args(argc, argv, &o);
        if (r >= 0)
                return r;
        if (load(o.path, &img) < 0)
                return 2;
        r = verdict(&img, &o);
        ppm_free(&img);
        if (fflush(stdout) != 0) {
                fprintf(stderr, PROGRAM ": writing output: %s\n", strerror(errno));
                return 2;
        }
        return r;
}
