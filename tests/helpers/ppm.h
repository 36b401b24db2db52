/* tests/helpers/ppm.h: reading the binary PPM files QEMU's screendump writes.
 *
 * Only P6 with maxval 255 is accepted (what screendump produces); anything
 * else is reported as unsupported rather than guessed at. */
#ifndef THATTE_TESTS_PPM_H
#define THATTE_TESTS_PPM_H

#include <stdio.h>

/* Big enough for any QEMU display, small enough that W*H*3 never overflows. */
#define PPM_MAX_SIDE 65535u

struct ppm {
        unsigned width;
        unsigned height;
        unsigned char *rgb;     /* width * height * 3 bytes, rows top down */
};

/* ppm_read: parses one P6 image (maxval 255; '#' comments allowed between
 * header fields) from F. Returns 0 and fills *ret (free with ppm_free());
 * -EBADMSG for a malformed, truncated or unsupported file with *ret_why
 * saying what is wrong; -ENOMEM; or -errno for a read error.
 * *ret untouched on failure. */
int ppm_read(FILE *f, struct ppm *ret, const char **ret_why);

/* ppm_pixel: the RGB triple at (x, y), which must lie inside the image. */
const unsigned char *ppm_pixel(const struct ppm *img, unsigned x, unsigned y);

/* ppm_free: releases the pixels; accepts NULL and an already freed image. */
void ppm_free(struct ppm *img);

#endif
