/* compositor/client/options.c: GNU-style options for thatte-display-client. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/client/options.h"

#define PROG "thatte-display-client"

enum {
        OPT_FILE = 0x100, OPT_PCI, OPT_DEVICE, OPT_TITLE, OPT_SIZE, OPT_PATTERN, OPT_IMAGE,
        OPT_ANIMATE, OPT_FRAMES, OPT_ONCE, OPT_HELP, OPT_VERSION,
};

static const struct option long_options[] = {
        { "file",    required_argument, NULL, OPT_FILE },
        { "pci",     no_argument,       NULL, OPT_PCI },
        { "device",  required_argument, NULL, OPT_DEVICE },
        { "title",   required_argument, NULL, OPT_TITLE },
        { "size",    required_argument, NULL, OPT_SIZE },
        { "pattern", required_argument, NULL, OPT_PATTERN },
        { "image",   required_argument, NULL, OPT_IMAGE },
        { "animate", no_argument,       NULL, OPT_ANIMATE },
        { "frames",  required_argument, NULL, OPT_FRAMES },
        { "once",    no_argument,       NULL, OPT_ONCE },
        { "help",    no_argument,       NULL, OPT_HELP },
        { "version", no_argument,       NULL, OPT_VERSION },
        { NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: " PROG " (--file PATH | --pci | --device BDF) [OPTION]...\n"
                "Fill a THATTE display channel and print the input events it receives.\n"
                "\n"
                "  --file PATH      the channel's backing file on the host (thatte-vmm's)\n"
                "  --pci            the first ivshmem device (PCI 1af4:1110) in a Linux guest\n"
                "  --device BDF     that ivshmem device, e.g. 0000:00:04.0\n"
                "  --title TEXT     the window's title (default: " PROG ")\n"
                "  --size WxH       the surface (default: the picture's, else 320x200)\n"
                "  --pattern NAME   gradient (default), bars, quadrants or #RRGGBB\n"
                "  --image FILE     a binary PPM picture instead of a pattern\n"
                "  --animate        move a square, publishing only what changed\n"
                "  --frames N       publish N frames, then only keep the window alive\n"
                "  --once           exit after the first frame\n"
                "  --help, --version\n");
}

static int bad(const char *what, const char *value)
{
        fprintf(stderr, PROG ": %s: '%s'\n", what, value);
        usage(stderr);
        return -EINVAL;
}

static int parse_size(const char *text, uint32_t *w, uint32_t *h)
{
        unsigned long a, b;
        char *end;

        errno = 0;
        a = strtoul(text, &end, 10);
        if (end == text || *end != 'x' || errno || text[0] == '-' || text[0] == '+')
                return -EINVAL;
        text = end + 1;
        b = strtoul(text, &end, 10);
        if (end == text || *end != '\0' || errno || text[0] == '-' || text[0] == '+')
                return -EINVAL;
        if (a == 0 || b == 0 || a > TDC_WIDTH_MAX || b > TDC_HEIGHT_MAX)
                return -EINVAL;
        *w = (uint32_t)a;
        *h = (uint32_t)b;
        return 0;
}

static int parse_count(const char *text, uint64_t *n)
{
        char *end;

        errno = 0;
        *n = strtoull(text, &end, 10);
        if (end == text || *end != '\0' || errno || *n == 0 || text[0] == '-' || text[0] == '+')
                return -EINVAL;
        return 0;
}

static int where(struct tdcc_options *o, enum tdcc_where w, const char *path)
{
        if (o->where != TDCC_NOWHERE) {
                fprintf(stderr, PROG ": give one of --file, --pci and --device\n");
                return -EINVAL;
        }
        o->where = w;
        o->path = path;
        return 0;
}

static int one(int c, const char *arg, struct tdcc_options *o)
{
        switch (c) {
        case OPT_FILE: return where(o, TDCC_FILE, arg);
        case OPT_PCI: return where(o, TDCC_PCI, NULL);
        case OPT_DEVICE: return where(o, TDCC_PCI, arg);
        case OPT_TITLE:
                if (strlen(arg) >= TDC_TITLE_MAX || arg[0] == '\0')
                        return bad("--title takes 1 to 47 bytes", arg);
                o->title = arg;
                return 0;
        case OPT_SIZE:
                return parse_size(arg, &o->width, &o->height) < 0 ?
                        bad("--size takes WxH, each 1..4096", arg) : 0;
        case OPT_PATTERN:
                return tdcc_look_parse(arg, &o->look) < 0 ?
                        bad("unknown --pattern (gradient, bars, quadrants, #RRGGBB)", arg) : 0;
        case OPT_IMAGE: o->image = arg; return 0;
        case OPT_ANIMATE: o->animate = 1; return 0;
        case OPT_FRAMES:
                return parse_count(arg, &o->frames) < 0 ?
                        bad("--frames takes a positive number", arg) : 0;
        case OPT_ONCE: o->once = 1; return 0;
        default: usage(stderr); return -EINVAL;
        }
}

int tdcc_options_parse(int argc, char **argv, struct tdcc_options *o)
{
        int c;

        memset(o, 0, sizeof(*o));
        o->title = PROG;
        optind = 1;
        while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
                if (c == OPT_HELP) {
                        usage(stdout);
                        return 1;
                }
                if (c == OPT_VERSION) {
                        printf(PROG " " PACKAGE_VERSION "\n");
                        return 1;
                }
                if (one(c, optarg, o) < 0)
                        return -EINVAL;
        }
        if (optind < argc)
                return bad("unexpected argument", argv[optind]);
        if (o->where == TDCC_NOWHERE) {
                fprintf(stderr, PROG ": say where the channel is: --file, --pci or --device\n");
                usage(stderr);
                return -EINVAL;
        }
        return 0;
}
