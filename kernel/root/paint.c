/* kernel/root/paint.c: see paint.h. The picture is painted row by row: the
 * red and blue parts of a row are the same on every line, so they are
 * computed once into row[]; each line ORs its green in, two pixels per
 * 64-bit store (no SSE in user threads), unrolled: about two instructions
 * a pixel. */
#include "paint.h"

/* THATTE_FB_* of thatte/bootinfo.h, without pulling it into host tests. */
#include "thatte/bootinfo.h"

typedef uint64_t __attribute__((may_alias)) rt_u64a;
typedef uint32_t __attribute__((may_alias)) rt_u32a;

static int from_mask(struct rt_pixfmt *pf, unsigned c, uint32_t mask)
{
        unsigned shift = 0, bits = 0;

        if (!mask)
                return -RT_EINVAL;
        while (!(mask & 1u)) {
                mask >>= 1;
                shift++;
        }
        while (mask & 1u) {
                mask >>= 1;
                bits++;
        }
        if (mask)
                return -RT_EINVAL;      /* not contiguous */
        pf->shift[c] = (uint8_t)shift;
        pf->bits[c] = (uint8_t)bits;
        return 0;
}

int rt_pixfmt_init(struct rt_pixfmt *pf, uint32_t format, uint32_t red_mask,
                   uint32_t green_mask, uint32_t blue_mask)
{
        switch (format) {
        case THATTE_FB_RGBX8888:
                red_mask = 0xffu, green_mask = 0xff00u, blue_mask = 0xff0000u;
                break;
        case THATTE_FB_BGRX8888:
                red_mask = 0xff0000u, green_mask = 0xff00u, blue_mask = 0xffu;
                break;
        case THATTE_FB_BITMASK:
                break;
        default:
                return -RT_EINVAL;
        }
        if (from_mask(pf, 0, red_mask) < 0 || from_mask(pf, 1, green_mask) < 0 ||
            from_mask(pf, 2, blue_mask) < 0)
                return -RT_EINVAL;
        return 0;
}

uint32_t rt_pixel_part(const struct rt_pixfmt *pf, unsigned c, unsigned v)
{
        unsigned bits = pf->bits[c];
        uint32_t x;

        if (bits >= 8)
                x = (uint32_t)v << (bits - 8);
        else
                x = (uint32_t)v >> (8 - bits);
        return x << pf->shift[c];
}

unsigned rt_gradient(unsigned i, unsigned n)
{
        return n < 2 ? 0 : 255u * i / (n - 1);
}

static void paint_slow(uint32_t *fb, unsigned w, unsigned h, unsigned stride,
                       const struct rt_pixfmt *pf)
{
        uint32_t blue = rt_pixel_part(pf, 2, 0x40), g;

        for (unsigned y = 0; y < h; y++) {
                g = rt_pixel_part(pf, 1, rt_gradient(y, h)) | blue;
                for (unsigned x = 0; x < w; x++)
                        fb[(uint64_t)y * stride + x] = rt_pixel_part(pf, 0, rt_gradient(x, w)) | g;
        }
}

/* One line: 16 pixels per round of eight 64-bit stores (the loop costs
 * little next to them), then pairs, then an odd last pixel. */
static void paint_line(uint32_t *d, const uint32_t *row, unsigned w, uint32_t g)
{
        uint64_t g2 = (uint64_t)g << 32 | g;
        const rt_u64a *s = (const rt_u64a *)row;
        unsigned x = 0, i = 0, pairs = w / 2;

        if (((uintptr_t)d & 7u) == 0) {
                rt_u64a *d2 = (rt_u64a *)d;

                for (; i + 8 <= pairs; i += 8) {
                        d2[i] = s[i] | g2;
                        d2[i + 1] = s[i + 1] | g2;
                        d2[i + 2] = s[i + 2] | g2;
                        d2[i + 3] = s[i + 3] | g2;
                        d2[i + 4] = s[i + 4] | g2;
                        d2[i + 5] = s[i + 5] | g2;
                        d2[i + 6] = s[i + 6] | g2;
                        d2[i + 7] = s[i + 7] | g2;
                }
                for (; i < pairs; i++)
                        d2[i] = s[i] | g2;
                x = 2 * pairs;
        }
        for (; x < w; x++)
                ((rt_u32a *)d)[x] = row[x] | g;
}

void rt_paint(uint32_t *fb, unsigned w, unsigned h, unsigned stride,
              const struct rt_pixfmt *pf, uint32_t *row)
{
        uint32_t blue;

        if (!row || w > RT_PAINT_ROW_MAX) {
                paint_slow(fb, w, h, stride, pf);
                return;
        }
        blue = rt_pixel_part(pf, 2, 0x40);
        for (unsigned x = 0; x < w; x++)
                row[x] = rt_pixel_part(pf, 0, rt_gradient(x, w)) | blue;
        row[w] = 0;
        for (unsigned y = 0; y < h; y++)
                paint_line(fb + (uint64_t)y * stride, row, w,
                           rt_pixel_part(pf, 1, rt_gradient(y, h)));
}

static int parse_uint(const char **p, unsigned *ret)
{
        unsigned v = 0, n = 0;

        while (**p >= '0' && **p <= '9' && n < 6) {
                v = v * 10 + (unsigned)(**p - '0');
                (*p)++;
                n++;
        }
        if (n == 0 || (**p >= '0' && **p <= '9'))
                return -RT_EINVAL;
        *ret = v;
        return 0;
}

static const char *find_word(const char *s, const char *word)
{
        for (const char *p = s; *p; p++) {
                const char *a = p, *b = word;

                if (p != s && p[-1] != ' ')
                        continue;
                while (*b && *a == *b)
                        a++, b++;
                if (!*b)
                        return a;
        }
        return NULL;
}

int rt_cmdline_has(const char *cmdline, const char *word)
{
        const char *p = find_word(cmdline, word);

        return p && (*p == 0 || *p == ' ');
}

int rt_cmdline_mode(const char *cmdline, unsigned *ret_w, unsigned *ret_h)
{
        const char *p = find_word(cmdline, "thatte.mode=");
        unsigned w, h;

        if (!p)
                return -RT_ENOENT;
        if (parse_uint(&p, &w) < 0 || *p++ != 'x' || parse_uint(&p, &h) < 0)
                return -RT_EINVAL;
        if (*p && *p != ' ')
                return -RT_EINVAL;
        if (w < 64 || h < 64 || w > RT_PAINT_ROW_MAX || h > RT_PAINT_ROW_MAX)
                return -RT_EINVAL;
        *ret_w = w;
        *ret_h = h;
        return 0;
}
