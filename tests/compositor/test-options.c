/* tests/compositor/test-options.c: command-line parsing. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "compositor/options.h"
#include "tests/tap.h"

#define ARGV(...) ((char *[]) { "thatte-compositor", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]) { "thatte-compositor", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) comp_options_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), err, sizeof(err))

static char err[256];

static void check_defaults(void)
{
        struct comp_options o;
        char *argv[] = { "thatte-compositor", NULL };

        is_int(comp_options_parse(1, argv, &o, err, sizeof(err)), 0, "no options parse");
        ok(o.action == COMP_ACTION_RUN && o.backend == COMP_BACKEND_AUTO && !o.device && !o.output,
           "defaults: run, auto backend, no device, all outputs");
        ok(o.pattern.kind == COMP_PATTERN_GRADIENT && !o.animate && o.frames == 0,
           "defaults: gradient, still, stay until signalled");
}

static void check_valid(void)
{
        struct comp_options o;

        is_int(PARSE(&o, "--backend", "drm", "--device", "/dev/dri/card1", "--output", "Virtual-1",
                     "--mode", "1024x768", "--animate", "--frames", "120", "--pattern", "bars"),
               0, "a full drm command line parses");
        ok(o.backend == COMP_BACKEND_DRM && strcmp(o.device, "/dev/dri/card1") == 0 &&
           strcmp(o.output, "Virtual-1") == 0, "backend, device and output kept");
        ok(o.mode_width == 1024 && o.mode_height == 768, "--mode 1024x768");
        ok(o.animate && o.frames == 120 && o.pattern.kind == COMP_PATTERN_BARS, "--animate --frames --pattern");

        is_int(PARSE(&o, "--backend=ppm", "--output=a.ppm"), 0, "ppm with defaults parses");
        ok(o.size_width == 640 && o.size_height == 480 && strcmp(o.format->name, "XRGB8888") == 0 &&
           o.frames == 1, "ppm defaults: 640x480 XRGB8888, one frame");
        is_int(PARSE(&o, "--backend", "ppm", "--output", "a.ppm", "--size", "3x5", "--format", "rgb565"),
               0, "ppm with size and format parses");
        ok(o.size_width == 3 && o.size_height == 5 && strcmp(o.format->name, "RGB565") == 0,
           "--size 3x5 --format rgb565");
        is_int(PARSE(&o, "--once"), 0, "--once parses");
        is_int(o.frames, 1, "--once means one frame");
        is_int(PARSE(&o, "--pattern", "solid:102030", "--backend", "fbdev"), 0, "solid on fbdev");
        ok(o.pattern.rgb[0] == 0x10 && o.pattern.rgb[2] == 0x30, "solid colour kept");
        is_int(PARSE(&o, "--backend", "ppm", "--output", "a.ppm", "--channel", "c1", "--channel", "c2"),
               0, "ppm with two channels parses");
        ok(o.n_channels == 2 && strcmp(o.channels[1], "c2") == 0 && o.frames == 0,
           "channels kept, and a ppm run with channels stays");
        is_int(PARSE(&o, "--help"), 0, "--help parses");
        is_int(o.action, COMP_ACTION_HELP, "--help asks for help");
        is_int(PARSE(&o, "--version"), 0, "--version parses");
        is_int(o.action, COMP_ACTION_VERSION, "--version asks for the version");
}

static void check_invalid_one(int r, const char *name, const char *want_in_message)
{
        is_int(r, -EINVAL, "%s is refused", name);
        ok(strstr(err, want_in_message) != NULL, "%s: message names the problem ('%s')", name, err);
}

static void check_invalid(void)
{
        struct comp_options o = { .frames = 42 };

        check_invalid_one(PARSE(&o, "--backend", "x11"), "unknown backend", "--backend");
        check_invalid_one(PARSE(&o, "--mode", "1024"), "mode without height", "--mode");
        check_invalid_one(PARSE(&o, "--mode", "0x768"), "zero width", "--mode");
        check_invalid_one(PARSE(&o, "--mode", "1024x768x"), "trailing junk", "--mode");
        check_invalid_one(PARSE(&o, "--mode", "99999x10"), "too wide", "--mode");
        check_invalid_one(PARSE(&o, "--mode", "-5x10"), "negative width", "--mode");
        check_invalid_one(PARSE(&o, "--frames", "0"), "zero frames", "--frames");
        check_invalid_one(PARSE(&o, "--frames", "ten"), "non-numeric frames", "--frames");
        check_invalid_one(PARSE(&o, "--pattern", "plaid"), "unknown pattern", "--pattern");
        check_invalid_one(PARSE(&o, "--backend", "ppm", "--output", "a.ppm", "--format", "YUYV"),
                          "unknown format", "--format");
        check_invalid_one(PARSE(&o, "--backend", "ppm"), "ppm without output", "--output");
        check_invalid_one(PARSE(&o, "--format", "RGB565"), "format outside ppm", "--format");
        check_invalid_one(PARSE(&o, "--size", "10x10"), "size outside ppm", "--size");
        check_invalid_one(PARSE(&o, "--backend", "fbdev", "--mode", "800x600"), "mode on fbdev", "--mode");
        check_invalid_one(PARSE(&o, "--backend", "fbdev", "--output", "HDMI-A-1"), "output on fbdev", "--output");
        check_invalid_one(PARSE(&o, "--backend", "ppm", "--output", "a.ppm", "--mode", "8x8"),
                          "mode on ppm", "--mode");
        check_invalid_one(PARSE(&o, "--channel", "c", "--once"), "channel with --once", "--channel");
        check_invalid_one(PARSE(&o, "--channel", "1", "--channel", "2", "--channel", "3", "--channel", "4",
                                "--channel", "5", "--channel", "6", "--channel", "7", "--channel", "8",
                                "--channel", "9"), "nine channels", "--channel");
        check_invalid_one(PARSE(&o, "--bogus"), "unknown option", "--bogus");
        check_invalid_one(PARSE(&o, "--mode"), "missing argument", "--mode");
        check_invalid_one(PARSE(&o, "extra"), "stray argument", "extra");
        is_int(o.frames, 42, "options untouched after errors");
}

int main(void)
{
        check_defaults();
        check_valid();
        check_invalid();
        return tap_done();
}
