/* compositor/options.c: GNU-style option parsing for thatte-compositor. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/options.h"

#define MAX_SIDE 16384u

enum {
        OPT_BACKEND = 0x100,
        OPT_DEVICE,
        OPT_OUTPUT,
        OPT_MODE,
        OPT_SIZE,
        OPT_FORMAT,
        OPT_PATTERN,
        OPT_ANIMATE,
        OPT_FRAMES,
        OPT_ONCE,
        OPT_CHANNEL,
        OPT_LOG_FRAMES,
        OPT_NO_DOORBELL,
        OPT_HELP,
        OPT_VERSION,
};

static const struct option long_options[] = {
        { "backend", required_argument, NULL, OPT_BACKEND },
        { "device",  required_argument, NULL, OPT_DEVICE },
        { "output",  required_argument, NULL, OPT_OUTPUT },
        { "mode",    required_argument, NULL, OPT_MODE },
        { "size",    required_argument, NULL, OPT_SIZE },
        { "format",  required_argument, NULL, OPT_FORMAT },
        { "pattern", required_argument, NULL, OPT_PATTERN },
        { "animate", no_argument,       NULL, OPT_ANIMATE },
        { "frames",  required_argument, NULL, OPT_FRAMES },
        { "once",    no_argument,       NULL, OPT_ONCE },
        { "channel", required_argument, NULL, OPT_CHANNEL },
        { "log-frames", no_argument,    NULL, OPT_LOG_FRAMES },
        { "no-doorbell", no_argument,   NULL, OPT_NO_DOORBELL },
        { "help",    no_argument,       NULL, OPT_HELP },
        { "version", no_argument,       NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
};

const char *comp_backend_name(enum comp_backend_kind kind)
{
        static const char *const names[] = { "auto", "drm", "fbdev", "ppm" };

        return names[kind];
}

static int parse_backend(const char *text, enum comp_backend_kind *ret)
{
        for (int k = COMP_BACKEND_AUTO; k <= COMP_BACKEND_PPM; k++)
                if (strcmp(text, comp_backend_name(k)) == 0) {
                        *ret = k;
                        return 0;
                }
        return -EINVAL;
}

static int parse_side(const char *s, char **end, uint32_t *ret)
{
        unsigned long v;

        if (*s < '0' || *s > '9')
                return -EINVAL;
        errno = 0;
        v = strtoul(s, end, 10);
        if (errno != 0 || v == 0 || v > MAX_SIDE)
                return -EINVAL;
        *ret = (uint32_t)v;
        return 0;
}

int comp_parse_size(const char *text, uint32_t *ret_width, uint32_t *ret_height)
{
        uint32_t w, h;
        char *end;

        if (parse_side(text, &end, &w) < 0 || *end != 'x')
                return -EINVAL;
        if (parse_side(end + 1, &end, &h) < 0 || *end != '\0')
                return -EINVAL;
        *ret_width = w;
        *ret_height = h;
        return 0;
}

static int parse_frames(const char *text, uint64_t *ret)
{
        unsigned long long v;
        char *end;

        if (*text < '0' || *text > '9')
                return -EINVAL;
        errno = 0;
        v = strtoull(text, &end, 10);
        if (errno != 0 || *end != '\0' || v == 0)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* One option into o; a reason into err on a bad value. */
static int apply_option(int c, const char *arg, struct comp_options *o, char *err, size_t errlen)
{
        int r = 0;

        switch (c) {
        case OPT_BACKEND:
                r = parse_backend(arg, &o->backend);
                break;
        case OPT_DEVICE:
                o->device = arg;
                break;
        case OPT_OUTPUT:
                o->output = arg;
                break;
        case OPT_MODE:
                r = comp_parse_size(arg, &o->mode_width, &o->mode_height);
                break;
        case OPT_SIZE:
                r = comp_parse_size(arg, &o->size_width, &o->size_height);
                break;
        case OPT_FORMAT:
                o->format = comp_format_by_name(arg);
                r = o->format ? 0 : -EINVAL;
                break;
        case OPT_PATTERN:
                r = comp_pattern_parse(arg, &o->pattern);
                break;
        case OPT_ANIMATE:
                o->animate = true;
                break;
        case OPT_FRAMES:
                r = parse_frames(arg, &o->frames);
                break;
        case OPT_ONCE:
                o->frames = 1;
                break;
        case OPT_CHANNEL:
                if (o->n_channels == COMP_CHANNELS_MAX) {
                        snprintf(err, errlen, "at most %u --channel options", COMP_CHANNELS_MAX);
                        return -EINVAL;
                }
                o->channels[o->n_channels++] = arg;
                break;
        case OPT_LOG_FRAMES:
                o->log_frames = true;
                break;
        case OPT_NO_DOORBELL:
                o->no_doorbell = true;
                break;
        case OPT_HELP:
                o->action = COMP_ACTION_HELP;
                break;
        case OPT_VERSION:
                o->action = COMP_ACTION_VERSION;
                break;
        default:
                snprintf(err, errlen, "unexpected option");
                return -EINVAL;
        }
        if (r < 0) {
                const struct option *lo = long_options;
                while (lo->val != c)
                        lo++;
                snprintf(err, errlen, "invalid value for --%s: '%s'", lo->name, arg);
        }
        return r;
}

static int check_combination(const struct comp_options *o, char *err, size_t errlen)
{
        if (o->backend == COMP_BACKEND_PPM && !o->output) {
                snprintf(err, errlen, "the ppm backend needs --output FILE.ppm");
                return -EINVAL;
        }
        if (o->format && o->backend != COMP_BACKEND_PPM) {
                snprintf(err, errlen, "--format only applies to the ppm backend");
                return -EINVAL;
        }
        if ((o->mode_width || (o->output && o->backend != COMP_BACKEND_PPM)) &&
            o->backend != COMP_BACKEND_DRM && o->backend != COMP_BACKEND_AUTO) {
                snprintf(err, errlen, "--mode and --output NAME only apply to the drm backend");
                return -EINVAL;
        }
        if (o->n_channels && (o->frames || o->animate)) {
                snprintf(err, errlen, "--channel needs a run that stays (no --frames, --once, --animate)");
                return -EINVAL;
        }
        if (o->size_width && o->backend != COMP_BACKEND_PPM) {
                snprintf(err, errlen, "--size only applies to the ppm backend (use --mode)");
                return -EINVAL;
        }
        return 0;
}

int comp_options_parse(int argc, char **argv, struct comp_options *ret, char *err, size_t errlen)
{
        struct comp_options o = {
                .action = COMP_ACTION_RUN,
                .backend = COMP_BACKEND_AUTO,
                .pattern = { .kind = COMP_PATTERN_GRADIENT },
        };
        int c;

        optind = 0;             /* GNU getopt: 0 re-initialises */
        opterr = 0;
        while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
                if (c == '?') {
                        snprintf(err, errlen, "unknown option or missing argument: '%s'",
                                 argv[optind - 1]);
                        return -EINVAL;
                }
                if (apply_option(c, optarg, &o, err, errlen) < 0)
                        return -EINVAL;
        }
        if (optind < argc) {
                snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
                return -EINVAL;
        }
        if (o.action == COMP_ACTION_RUN && check_combination(&o, err, errlen) < 0)
                return -EINVAL;
        if (o.backend == COMP_BACKEND_PPM) {
                if (!o.size_width) {
                        o.size_width = 640;
                        o.size_height = 480;
                }
                if (!o.format)
                        o.format = comp_format_by_name("XRGB8888");
                /* One picture, unless channels are to be shown: then it
                 * stays and rewrites the file after every change. */
                if (!o.frames && o.n_channels == 0)
                        o.frames = 1;
        }
        *ret = o;
        return 0;
}
