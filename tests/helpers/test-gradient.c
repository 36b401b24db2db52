/* test-gradient: runs thatte-test-gradient on PPM files made here.
 *
 * A perfect gradient passes, a solid image fails, mild noise passes within
 * the tolerance, and broken or unsupported files are format errors (2). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tap.h"
#include "gradient.h"

static char dir[4096];
static char program[4096];
static char output[4096];     /* stdout of the last run */

typedef void (*pixel_fn)(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3]);

static unsigned noise_state = 12345;

/* A fixed pseudo-random sequence so the test behaves the same every run. */
static int noise(int amplitude)
{
        noise_state = noise_state * 1103515245u + 12345u;
        return (int)((noise_state >> 16) % (unsigned)(2 * amplitude + 1)) - amplitude;
}

static unsigned char clamp(int v)
{
        return v < 0 ? 0 : v > 255 ? 255 : (unsigned char)v;
}

static void perfect(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3])
{
        gradient_expected(x, y, w, h, rgb);
}

static void solid(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3])
{
        rgb[0] = rgb[1] = 0x20;
        rgb[2] = GRADIENT_BLUE;
}

static void noisy(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3])
{
        gradient_expected(x, y, w, h, rgb);
        for (int c = 0; c < 3; c++)
                rgb[c] = clamp(rgb[c] + noise(3));
}

/* The gradient with a white caption box over the top-left corner. */
static void captioned(unsigned x, unsigned y, unsigned w, unsigned h, unsigned char rgb[3])
{
        gradient_expected(x, y, w, h, rgb);
        if (x < w / 5 && y < h / 20)
                rgb[0] = rgb[1] = rgb[2] = 0xff;
}

static const char *write_ppm(const char *name, const char *header, unsigned w, unsigned h,
                             pixel_fn fn, size_t cut)
{
        static char path[4200];
        size_t size = (size_t)w * h * 3;
        unsigned char *rgb = malloc(size);
        FILE *f;

        snprintf(path, sizeof path, "%s/%s", dir, name);
        f = fopen(path, "wb");
        if (!f || !rgb) {
                perror(path);
                exit(EXIT_FAILURE);
        }
        for (unsigned y = 0; y < h; y++)
                for (unsigned x = 0; x < w; x++)
                        fn(x, y, w, h, rgb + ((size_t)y * w + x) * 3);
        fputs(header, f);
        fwrite(rgb, 1, size - cut, f);
        if (fclose(f) != 0) {
                perror(path);
                exit(EXIT_FAILURE);
        }
        free(rgb);
        return path;
}

static const char *write_gradient(const char *name, unsigned w, unsigned h, pixel_fn fn)
{
        char header[64];

        snprintf(header, sizeof header, "P6\n%u %u\n255\n", w, h);
        return write_ppm(name, header, w, h, fn, 0);
}

/* Runs the checker with ARGS (NULL-terminated) and returns its exit status;
 * its stdout lands in output[]. */
static int run(const char *const *args)
{
        const char *argv[16] = { program };
        int fds[2], status;
        size_t n = 0;
        ssize_t got;
        pid_t pid;

        for (size_t i = 0; args[i] && i + 2 < sizeof argv / sizeof argv[0]; i++)
                argv[i + 1] = args[i];
        if (pipe(fds) < 0 || (pid = fork()) < 0) {
                perror("spawning the checker");
                exit(EXIT_FAILURE);
        }
        if (pid == 0) {
                (void)dup2(fds[1], STDOUT_FILENO);
                (void)close(fds[0]);
                (void)close(fds[1]);
                execv(program, (char *const *)argv);
                _exit(127);
        }
        (void)close(fds[1]);
        while (n + 1 < sizeof output &&
               (got = read(fds[0], output + n, sizeof output - 1 - n)) > 0)
                n += (size_t)got;
        output[n] = '\0';
        (void)close(fds[0]);
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })

/* The reference itself, against values worked out by hand, so a wrong
 * formula cannot hide behind images made with the same formula. */
static void test_reference(void)
{
        unsigned char rgb[3];

        gradient_expected(319, 199, 320, 200, rgb);
        ok(rgb[0] == 255 && rgb[1] == 255 && rgb[2] == 0x40, "bottom-right is 255,255,64");
        gradient_expected(160, 100, 320, 200, rgb);
        ok(rgb[0] == 127 && rgb[1] == 128 && rgb[2] == 0x40,
           "middle rounds down: 255*160/319=127, 255*100/199=128");
        gradient_expected(0, 5, 1, 64, rgb);
        ok(rgb[0] == 0 && rgb[1] == 20, "width 1 gives red 0; 255*5/63=20");
        is_int(gradient_sample_coord(0, 33, 1024), 0, "first sample on the left edge");
        is_int(gradient_sample_coord(32, 33, 1024), 1023, "last sample on the right edge");
        is_int(gradient_sample_coord(16, 33, 1024), 511, "middle sample 16*1023/32");
        is_int(gradient_sample_coord(0, 1, 101), 50, "a 1x1 grid samples the centre");
}

static void test_perfect(void)
{
        const char *p = write_gradient("perfect.ppm", 320, 200, perfect);

        is_int(RUN(p), 0, "perfect gradient passes");
        if (!ok(strcmp(output, "gradient: 1089/1089 samples within 4 (320x200)\n") == 0,
                "summary line"))
                tap_diag("got: %s", output);
        is_int(RUN("--expect-size", "320x200", p), 0, "expected size matches");
        is_int(RUN("--expect-size", "640x480", p), 1, "other expected size fails");
        is_int(RUN("--grid", "2", "--tolerance", "0", p), 0, "corners exact with tolerance 0");
        if (!ok(strstr(output, "gradient: 4/4 samples within 0 (320x200)") != NULL, "2x2 grid"))
                tap_diag("got: %s", output);
        p = write_gradient("thin.ppm", 1, 64, perfect);
        is_int(RUN(p), 0, "1-pixel-wide image: red is 0");
}

static void test_wrong_pictures(void)
{
        const char *p = write_gradient("solid.ppm", 320, 200, solid);

        is_int(RUN(p), 1, "solid image fails");
        if (!ok(strstr(output, "\n# 0,0: got 32,32,64 want 0,0,64\n") != NULL,
                "first mismatch shown"))
                tap_diag("got: %s", output);
        is_int(RUN("--min-fraction", "0", p), 0, "min fraction 0 accepts anything");
        p = write_gradient("captioned.ppm", 320, 200, captioned);
        is_int(RUN(p), 0, "a small caption stays under 3%%");
        is_int(RUN("--min-fraction", "1", p), 1, "but not with min fraction 1");
}

static void test_noise(void)
{
        const char *p = write_gradient("noisy.ppm", 640, 480, noisy);

        is_int(RUN(p), 0, "noise of +-3 passes with tolerance 4");
        is_int(RUN("--tolerance", "2", p), 1, "noise of +-3 fails with tolerance 2");
}

static void test_format_errors(void)
{
        const char *p;

        p = write_ppm("truncated.ppm", "P6\n320 200\n255\n", 320, 200, perfect, 1000);
        is_int(RUN(p), 2, "truncated raster is a format error");
        p = write_ppm("comments.ppm", "P6\n# made by a test\n320 # w\n200\n#x\n255\n", 320, 200,
                      perfect, 0);
        is_int(RUN(p), 0, "header comments accepted");
        p = write_ppm("ascii.ppm", "P3\n2 2\n255\n0 0 0\n", 0, 0, perfect, 0);
        is_int(RUN(p), 2, "ASCII PPM (P3) rejected");
        p = write_ppm("deep.ppm", "P6\n2 2\n65535\n", 0, 0, perfect, 0);
        is_int(RUN(p), 2, "16-bit PPM rejected");
        p = write_ppm("png.ppm", "\x89PNG\r\n", 0, 0, perfect, 0);
        is_int(RUN(p), 2, "PNG rejected");
        p = write_ppm("header.ppm", "P6\n320 200", 0, 0, perfect, 0);
        is_int(RUN(p), 2, "truncated header rejected");
        is_int(RUN("/nonexistent/screen.ppm"), 2, "missing file");
}

static void test_usage(void)
{
        const char *p = write_gradient("usage.ppm", 8, 8, perfect);

        is_int(RUN("--grid", "0", p), 2, "grid 0 rejected");
        is_int(RUN("--tolerance", "256", p), 2, "tolerance over 255 rejected");
        is_int(RUN("--min-fraction", "1.5", p), 2, "fraction over 1 rejected");
        is_int(RUN("--expect-size", "320", p), 2, "size without x rejected");
        is_int(RUN(p, p), 2, "two files rejected");
        is_int(RUN("--bogus", p), 2, "unknown option rejected");
        is_int(RUN("--help"), 0, "--help");
}

int main(void)
{
        const char *top = getenv("top_builddir");

        if (!top) {
                printf("Bail out! top_builddir is not set (run through make check)\n");
                return EXIT_FAILURE;
        }
        snprintf(program, sizeof program, "%s/tests/helpers/thatte-test-gradient", top);
        snprintf(dir, sizeof dir, "%s/thatte-test-gradient.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(dir)) {
                printf("Bail out! mkdtemp: %s\n", strerror(errno));
                return EXIT_FAILURE;
        }
        test_reference();
        test_perfect();
        test_wrong_pictures();
        test_noise();
        test_format_errors();
        test_usage();
        /* Leave the files behind on failure for a look. */
        if (!tap_failed) {
                const char *rm[] = { "/bin/rm", "-rf", dir, NULL };
                pid_t pid = fork();

                if (pid == 0) {
                        execv(rm[0], (char *const *)rm);
                        _exit(127);
                }
                if (pid > 0)
                        (void)waitpid(pid, NULL, 0);
        }
        return tap_done();
}
