/* tests/helpers/gradient.c: the reference picture every test compares to. */
#include "config.h"

#include <stdlib.h>

#include "gradient.h"

static unsigned char ramp(unsigned pos, unsigned size)
{
        return size > 1 ? (unsigned char)(255u * pos / (size - 1)) : 0;
}

void gradient_expected(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3])
{
        rgb[0] = ramp(x, w);
        rgb[1] = ramp(y, h);
        rgb[2] = GRADIENT_BLUE;
}

unsigned gradient_sample_coord(unsigned i, unsigned n, unsigned size)
{
        if (n <= 1)
                return (size - 1) / 2;
        return (unsigned)((unsigned long long)i * (size - 1) / (n - 1));
}

int gradient_within(const unsigned char got[3], const unsigned char want[3], unsigned tolerance)
{
        for (int c = 0; c < 3; c++)
                if ((unsigned)abs((int)got[c] - (int)want[c]) > tolerance)
                        return 0;
        return 1;
}
