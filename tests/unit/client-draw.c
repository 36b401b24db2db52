/* tests/unit/client-draw.c: thatte-display-client's pictures and command
 * line (compositor/client/draw.c, ppm-read.c, options.c): the patterns'
 * pixels, the square's path, PPM reading (comments, 16-bit, truncated,
 * not a PPM) and the options (good ones, usage errors). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compositor/client/draw.h"
#include "compositor/client/options.h"
#include "tests/tap.h"

static void test_patterns(void)
{
        struct tdcc_look look;
        uint32_t px[16 * 8];

        ok(tdcc_look_parse("gradient", &look) == 0 && look.pattern == TDCC_PATTERN_GRADIENT,
           "gradient");
        ok(tdcc_look_parse("#12ab3C", &look) == 0 && look.pattern == TDCC_PATTERN_SOLID &&
           look.color == 0x12ab3c, "#RRGGBB");
        ok(tdcc_look_parse("#12ab3", &look) == -EINVAL && tdcc_look_parse("#-12345", &look) < 0 &&
           tdcc_look_parse("plaid", &look) == -EINVAL, "bad names and colours");
        (void)tdcc_look_parse("gradient", &look);
        tdcc_draw(px, 16, 8, 16, &look);
        ok(px[0] == 0x000080 && px[15] == 0xff0080 && px[7 * 16] == 0x00ff80 &&
           px[7 * 16 + 15] == 0xffff80, "gradient corners");
        (void)tdcc_look_parse("quadrants", &look);
        tdcc_draw(px, 16, 8, 16, &look);
        ok(px[0] == 0xff0000 && px[15] == 0x00ff00 && px[7 * 16] == 0x0000ff &&
           px[7 * 16 + 15] == 0xffffff, "quadrants");
        (void)tdcc_look_parse("bars", &look);
        tdcc_draw(px, 16, 8, 16, &look);
        ok(px[0] == 0xffffff && px[2] == 0xffff00 && px[15] == 0x000000, "bars");
}

static void test_square(void)
{
        int inside = 1;

        for (uint64_t n = 0; n < 1000; n++) {
                struct tdc_rect r = tdcc_square(n, 320, 200);

                inside &= r.w == 25 && r.h == 25 && r.x + r.w <= 320 && r.y + r.h <= 200;
        }
        ok(inside, "the square stays inside, 1/8 of the smaller side");
        ok(tdcc_square(1, 320, 200).x == 8 && tdcc_square(1, 320, 200).y == 4, "it moves 8, 4");
        ok(tdcc_square(3, 1, 1).w == 1 && tdcc_square(3, 1, 1).x == 0, "a 1x1 surface");
}

static int ppm(const char *path, const void *data, size_t n)
{
        FILE *f = fopen(path, "wb");

        if (!f)
                return -1;
        fwrite(data, 1, n, f);
        return fclose(f);
}

static void test_ppm(void)
{
        char path[] = "/tmp/client-draw-XXXXXX";
        int fd = mkstemp(path);
        uint32_t *px = NULL, w = 0, h = 0;
        static const char good[] = "P6\n# a comment\n2 1\n255\n\x10\x20\x30\xff\x00\x80";
        static const char deep[] = "P6 1 1 65535\n\xff\xff\x00\x00\x80\x00";
        static const char shorter[] = "P6\n2 2\n255\n\x10\x20\x30";

        close(fd);
        ppm(path, good, sizeof(good) - 1);
        ok(tdcc_ppm_read(path, &px, &w, &h) == 0 && w == 2 && h == 1 && px[0] == 0x102030 &&
           px[1] == 0xff0080, "P6 with a comment");
        free(px);
        ppm(path, deep, sizeof(deep) - 1);
        ok(tdcc_ppm_read(path, &px, &w, &h) == 0 && px[0] == 0xff007f, "16-bit samples");
        free(px);
        ppm(path, shorter, sizeof(shorter) - 1);
        is_int(tdcc_ppm_read(path, &px, &w, &h), -EINVAL, "truncated pixels");
        ppm(path, "P3\n1 1\n255\n1 2 3\n", 16);
        is_int(tdcc_ppm_read(path, &px, &w, &h), -EINVAL, "P3 is not read");
        ppm(path, "P6\n5000 1\n255\n", 14);
        is_int(tdcc_ppm_read(path, &px, &w, &h), -E2BIG, "too wide");
        unlink(path);
        is_int(tdcc_ppm_read(path, &px, &w, &h), -ENOENT, "missing file");
}

static int parse(struct tdcc_options *o, const char *a, const char *b, const char *c)
{
        char *argv[] = { "thatte-display-client", (char *)a, (char *)b, (char *)c, NULL };
        int argc = 1 + !!a + !!b + !!c;
        FILE *saved = stderr;
        int r;

        stderr = fopen("/dev/null", "w");
        r = tdcc_options_parse(argc, argv, o);
        fclose(stderr);
        stderr = saved;
        return r;
}

static void test_options(void)
{
        struct tdcc_options o;

        ok(parse(&o, "--file=/x", "--size=640x400", "--frames=5") == 0 && o.where == TDCC_FILE &&
           strcmp(o.path, "/x") == 0 && o.width == 640 && o.height == 400 && o.frames == 5,
           "--file --size --frames");
        ok(parse(&o, "--device=0000:00:04.0", "--title=mk", NULL) == 0 && o.where == TDCC_PCI &&
           strcmp(o.path, "0000:00:04.0") == 0 && strcmp(o.title, "mk") == 0, "--device --title");
        ok(parse(&o, "--pci", "--animate", "--once") == 0 && o.where == TDCC_PCI && !o.path &&
           o.animate && o.once, "--pci --animate --once");
        is_int(parse(&o, "--animate", NULL, NULL), -EINVAL, "no channel given");
        is_int(parse(&o, "--pci", "--file=/x", NULL), -EINVAL, "two channels given");
        is_int(parse(&o, "--pci", "--size=0x5", NULL), -EINVAL, "size 0");
        is_int(parse(&o, "--pci", "--size=5000x5", NULL), -EINVAL, "size past 4096");
        is_int(parse(&o, "--pci", "--frames=-1", NULL), -EINVAL, "negative frames");
        is_int(parse(&o, "--pci", "--title=0123456789012345678901234567890123456789abcdefgh",
                     NULL), -EINVAL, "a 48-byte title");
        is_int(parse(&o, "--pci", "extra", NULL), -EINVAL, "a stray argument");
}

int main(void)
{
        test_patterns();
        test_square();
        test_ppm();
        test_options();
        return tap_done();
}
