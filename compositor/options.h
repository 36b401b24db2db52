/* compositor/options.h: the command line, parsed into one struct. */
#ifndef THATTE_COMP_OPTIONS_H
#define THATTE_COMP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compositor/format.h"
#include "compositor/pattern.h"

#define COMP_CHANNELS_MAX 8u

enum comp_backend_kind {
        COMP_BACKEND_AUTO,
        COMP_BACKEND_DRM,
        COMP_BACKEND_FBDEV,
        COMP_BACKEND_PPM,
};

enum comp_action {
        COMP_ACTION_RUN,
        COMP_ACTION_HELP,
        COMP_ACTION_VERSION,
};

struct comp_options {
        enum comp_action action;
        enum comp_backend_kind backend;
        const char *device;             /* NULL: the backend's default */
        const char *output;             /* drm: connector name; ppm: file */
        uint32_t mode_width, mode_height;       /* drm --mode; 0: preferred */
        uint32_t size_width, size_height;       /* ppm --size */
        const struct comp_format *format;       /* ppm --format */
        struct comp_pattern pattern;
        bool animate;
        uint64_t frames;                /* 0: stay until signalled */
        const char *channels[COMP_CHANNELS_MAX];        /* --channel: files instead of PCI */
        unsigned n_channels;
        bool log_frames;                /* a line per client frame on screen (benchmarks) */
        bool no_doorbell;               /* poll channels even where MSI-X could wake us */
};

/* comp_options_parse: takes argc/argv (argv[0] is the program); fills *ret and
 * returns 0, or returns -EINVAL with a one-line reason in err (errlen bytes)
 * and *ret untouched. Resets getopt, so it may be called repeatedly. */
int comp_options_parse(int argc, char **argv, struct comp_options *ret, char *err, size_t errlen);

/* comp_parse_size: takes "WxH"; stores both (each 1..16384) and returns 0,
 * or returns -EINVAL leaving the outputs untouched. */
int comp_parse_size(const char *text, uint32_t *ret_width, uint32_t *ret_height);

/* comp_backend_name: "auto", "drm", "fbdev" or "ppm". */
const char *comp_backend_name(enum comp_backend_kind kind);

#endif
