/* compositor/client/options.h: thatte-display-client's command line. */
#ifndef THATTE_CLIENT_OPTIONS_H
#define THATTE_CLIENT_OPTIONS_H

#include <stdint.h>

#include "compositor/client/draw.h"

enum tdcc_where { TDCC_NOWHERE, TDCC_FILE, TDCC_PCI };

struct tdcc_options {
        enum tdcc_where where;
        const char *path;       /* TDCC_FILE: the file; TDCC_PCI: a BDF or NULL (the first) */
        const char *title;
        uint32_t width, height; /* 0: the picture's, or the default */
        struct tdcc_look look;
        const char *image;      /* a PPM, or NULL */
        int animate;
        uint64_t frames;        /* 0: no limit */
        int once;
};

/* tdcc_options_parse: argv into o. Returns 0, 1 when --help or --version
 * was answered (exit 0), or -EINVAL after saying what is wrong (exit 2). */
int tdcc_options_parse(int argc, char **argv, struct tdcc_options *o);

#endif
