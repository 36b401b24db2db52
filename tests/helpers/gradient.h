/* tests/helpers/gradient.h: DESIGN.md's default picture and how it is sampled.
 *
 * At pixel (x, y) of a W x H screen: red = 255*x/(W-1), green = 255*y/(H-1)
 * (integer division; 0 when the side is 1 pixel), blue = 0x40. */
#ifndef THATTE_TESTS_GRADIENT_H
#define THATTE_TESTS_GRADIENT_H

#define GRADIENT_BLUE 0x40

/* gradient_expected: the default picture's colour at (x, y) of W x H into
 * RGB[0..2]. */
void gradient_expected(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3]);

/* gradient_sample_coord: the I-th of N sample coordinates (0 <= I < N)
 * along a side of SIZE pixels, spread evenly so that the first is 0 and
 * the last is SIZE - 1; for N == 1 the middle. */
unsigned gradient_sample_coord(unsigned i, unsigned n, unsigned size);

/* gradient_within: whether every channel of GOT is within TOLERANCE of WANT. */
int gradient_within(const unsigned char got[3], const unsigned char want[3], unsigned tolerance);

#endif
