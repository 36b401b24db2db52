/* tests/compositor/test-ppm.c: runs the built thatte-compositor with the ppm
 * backend and checks the file it writes, pixel by pixel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compositor/format.h"
#include "tests/tap.h"

static char program[4096], scratch[4096];

/* Runs the program with argv, stderr into a file; returns the exit status. */
static int run(char **argv, const char *stderr_path)
{
        pid_t pid = fork();
        int status;

        if (pid == 0) {
                if (!freopen(stderr_path, "w", stderr))
                        _exit(127);
                execv(program, argv);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

static unsigned char *read_ppm(const char *path, unsigned *w, unsigned *h)
{
        FILE *f = fopen(path, "rb");
        unsigned char *data;
        unsigned max;

        if (!f || fscanf(f, "P6 %u %u %u", w, h, &max) != 3 || max != 255 || fgetc(f) != '\n') {
                if (f)
                        fclose(f);
                return NULL;
        }
        data = malloc((size_t)*w * *h * 3);
        if (fread(data, 3, (size_t)*w * *h, f) != (size_t)*w * *h || fgetc(f) != EOF) {
                free(data);
                data = NULL;
        }
        fclose(f);
        return data;
}

/* The expected picture: the gradient as stored in `format` and read back. */
static long count_wrong(const unsigned char *data, unsigned w, unsigned h, const char *format)
{
        const struct comp_format *f = comp_format_by_name(format);
        long wrong = 0;

        for (unsigned y = 0; y < h; y++)
                for (unsigned x = 0; x < w; x++) {
                        uint8_t want[3];
                        comp_unpack(f, comp_pack(f, w > 1 ? (uint8_t)(255 * x / (w - 1)) : 0,
                                                 h > 1 ? (uint8_t)(255 * y / (h - 1)) : 0, 0x40),
                                    want);
                        wrong += memcmp(data + 3 * ((size_t)y * w + x), want, 3) != 0;
                }
        return wrong;
}

static void check_one(const char *size, const char *format, unsigned want_w, unsigned want_h)
{
        char out[4200], log[4200], line[4400] = "", want_line[4400];
        char *argv[] = { program, "--backend", "ppm", "--output", out, "--size", (char *)size,
                         "--format", (char *)format, NULL };
        unsigned char *data;
        unsigned w = 0, h = 0;
        FILE *f;

        snprintf(out, sizeof(out), "%s/%s-%s.ppm", scratch, size, format);
        snprintf(log, sizeof(log), "%s/stderr", scratch);
        is_int(run(argv, log), 0, "%s %s: exits 0", size, format);
        f = fopen(log, "r");
        if (f) {
                if (!fgets(line, sizeof(line), f))
                        line[0] = '\0';
                fclose(f);
        }
        snprintf(want_line, sizeof(want_line), "thatte-compositor: ppm %s %s on %s\n", size, format, out);
        ok(strcmp(line, want_line) == 0, "%s %s: prints the marker line", size, format);
        data = read_ppm(out, &w, &h);
        ok(data != NULL, "%s %s: writes a valid P6 file", size, format);
        ok(w == want_w && h == want_h, "%s %s: size is %ux%u", size, format, w, h);
        if (data)
                is_int(count_wrong(data, w, h, format), 0, "%s %s: every pixel matches", size, format);
        else
                ok(0, "%s %s: every pixel matches (no data)", size, format);
        free(data);
        (void)unlink(out);
}

int main(void)
{
        const char *builddir = getenv("top_builddir");
        char *argv_bad[] = { program, "--backend", "ppm", "--output", "/nonexistent-dir/x.ppm", NULL };
        char log[4200];

        snprintf(program, sizeof(program), "%s/thatte-compositor", builddir ? builddir : ".");
        snprintf(scratch, sizeof(scratch), "%s/test-ppm.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(scratch)) {
                printf("Bail out! cannot create a scratch folder\n");
                return 1;
        }
        snprintf(log, sizeof(log), "%s/stderr", scratch);
        check_one("1x1", "XRGB8888", 1, 1);
        check_one("2x2", "XRGB8888", 2, 2);
        check_one("3x5", "XRGB8888", 3, 5);
        check_one("1920x1080", "XRGB8888", 1920, 1080);
        for (const struct comp_format *f = comp_formats; f->name; f++)
                check_one("37x23", f->name, 37, 23);
        is_int(run(argv_bad, log), 1, "unwritable output: exit 1");
        (void)unlink(log);
        (void)rmdir(scratch);
        return tap_done();
}
