/* tests/helpers/ppm.c: P6 header parsing and raster loading. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "ppm.h"

static int is_space(int c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Skips whitespace and '#' comments up to the next header token. */
static int skip_separators(FILE *f)
{
        int c;

        for (;;) {
                c = getc(f);
                if (c == '#') {
                        while (c != '\n' && c != '\r' && c != EOF)
                                c = getc(f);
                }
                if (c == EOF)
                        return EOF;
                if (!is_space(c)) {
                        (void)ungetc(c, f);
                        return 0;
                }
        }
}

/* Reads one unsigned decimal header field no larger than MAX. */
static int read_field(FILE *f, unsigned max, unsigned *ret)
{
        unsigned long v = 0;
        int c, digits = 0;

        if (skip_separators(f) == EOF)
                return -EBADMSG;
        while ((c = getc(f)) != EOF && c >= '0' && c <= '9') {
                v = v * 10 + (unsigned long)(c - '0');
                if (v > max)
                        return -ERANGE;
                digits++;
        }
        if (digits == 0 || c == EOF || (!is_space(c) && c != '#'))
                return -EBADMSG;
        (void)ungetc(c, f);
        *ret = (unsigned)v;
        return 0;
}

static int read_magic(FILE *f, const char **ret_why)
{
        int a = getc(f), b = getc(f);

        if (a == 'P' && b == '6')
                return 0;
        if (a == 'P' && b >= '1' && b <= '7')
                *ret_why = "unsupported netpbm format (only binary PPM, P6, is accepted)";
        else
                *ret_why = "not a PPM file (no P6 magic)";
        return -EBADMSG;
}

static int read_header(FILE *f, unsigned *ret_w, unsigned *ret_h, const char **ret_why)
{
        unsigned w, h, maxval;
        int r;

        r = read_magic(f, ret_why);
        if (r < 0)
                return r;
        if (read_field(f, PPM_MAX_SIDE, &w) < 0 || read_field(f, PPM_MAX_SIDE, &h) < 0 ||
            w == 0 || h == 0) {
                *ret_why = "bad width or height in the PPM header";
                return -EBADMSG;
        }
        r = read_field(f, 65535, &maxval);
        if (r == -EBADMSG) {
                *ret_why = "malformed or truncated maxval in the PPM header";
                return r;
        }
        if (r < 0 || maxval != 255) {
                *ret_why = "unsupported maxval (only 255 is accepted)";
                return -EBADMSG;
        }
        /* Exactly one whitespace byte separates the header from the raster. */
        if (!is_space(getc(f))) {
                *ret_why = "no whitespace after maxval";
                return -EBADMSG;
        }
        *ret_w = w;
        *ret_h = h;
        return 0;
}

int ppm_read(FILE *f, struct ppm *ret, const char **ret_why)
{
        unsigned w, h;
        unsigned char *rgb;
        size_t size;
        int r;

        r = read_header(f, &w, &h, ret_why);
        if (r < 0)
                return r;
        size = (size_t)w * h * 3;
        rgb = malloc(size);
        if (!rgb)
                return -ENOMEM;
        if (fread(rgb, 1, size, f) != size) {
                r = ferror(f) ? -EIO : -EBADMSG;
                *ret_why = "truncated raster (file shorter than its header says)";
                free(rgb);
                return r;
        }
        *ret = (struct ppm){ .width = w, .height = h, .rgb = rgb };
        return 0;
}

const unsigned char *ppm_pixel(const struct ppm *img, unsigned x, unsigned y)
{
        return img->rgb + ((size_t)y * img->width + x) * 3;
}

void ppm_free(struct ppm *img)
{
        if (!img)
                return;
        free(img->rgb);
        img->rgb = NULL;
}
