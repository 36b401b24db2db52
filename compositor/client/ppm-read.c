/* compositor/client/ppm-read.c: tdcc_ppm_read (draw.h): a binary PPM
 * (P6) picture, header comments allowed, into XRGB8888 pixels. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "compositor/client/draw.h"

/* One header number, after white space and # comments. */
static int number(FILE *f, unsigned long *v)
{
        int c;

        for (;;) {
                c = getc(f);
                if (c == '#')
                        while (c != '\n' && c != EOF)
                                c = getc(f);
                else if (!isspace(c))
                        break;
        }
        if (c == EOF || !isdigit(c))
                return -EINVAL;
        *v = 0;
        while (isdigit(c)) {
                *v = *v * 10 + (unsigned long)(c - '0');
                if (*v > 65535)
                        return -EINVAL;
                c = getc(f);
        }
        return isspace(c) ? 0 : -EINVAL; /* one white space ends the header */
}

static int channel(FILE *f, unsigned long max, uint32_t *v)
{
        int hi = getc(f), lo = 0;

        if (hi == EOF)
                return -EINVAL;
        if (max > 255) {
                lo = getc(f);
                if (lo == EOF)
                        return -EINVAL;
                hi = hi << 8 | lo;
        }
        if ((unsigned long)hi > max)
                return -EINVAL;
        *v = (uint32_t)((unsigned long)hi * 255 / max);
        return 0;
}

static int pixels(FILE *f, unsigned long max, uint32_t *px, size_t n)
{
        uint32_t r, g, b;

        for (size_t i = 0; i < n; i++) {
                if (channel(f, max, &r) < 0 || channel(f, max, &g) < 0 || channel(f, max, &b) < 0)
                        return -EINVAL;
                px[i] = r << 16 | g << 8 | b;
        }
        return 0;
}

int tdcc_ppm_read(const char *path, uint32_t **px, uint32_t *w, uint32_t *h)
{
        unsigned long width, height, max;
        FILE *f = fopen(path, "rb");
        int r;

        if (!f)
                return -errno;
        r = getc(f) == 'P' && getc(f) == '6' ? 0 : -EINVAL;
        if (r == 0)
                r = number(f, &width);
        if (r == 0)
                r = number(f, &height);
        if (r == 0)
                r = number(f, &max);
        if (r == 0 && (width == 0 || height == 0 || max == 0))
                r = -EINVAL;
        if (r == 0 && (width > TDC_WIDTH_MAX || height > TDC_HEIGHT_MAX))
                r = -E2BIG;
        *px = NULL;
        if (r == 0) {
                *px = malloc(width * height * 4);
                r = *px ? pixels(f, max, *px, width * height) : -ENOMEM;
        }
        fclose(f);
        if (r < 0) {
                free(*px);
                *px = NULL;
                return r;
        }
        *w = (uint32_t)width;
        *h = (uint32_t)height;
        return 0;
}
