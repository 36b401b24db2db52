/* tests/compositor/channel-tool.c: the host side of the compositor's
 * channel tests.
 *
 *   channel-tool fill FILE TITLE WxH
 *       makes FILE a channel (its size is kept when it has one, else 8 MiB)
 *       with a valid header and the quadrant picture (red, green / blue,
 *       white), publishes it and keeps the heartbeat going until SIGTERM
 *       (then the heartbeat stops and the file stays). SIGUSR1 publishes a
 *       damage-only update: a 16x16 yellow square at (8,8), from a buffer
 *       that is black everywhere else, so only honoured damage looks right.
 *       Prints "channel-tool: published N" after each frame and
 *       "channel-tool: input TYPE CODE X Y VALUE" for each input event.
 *   channel-tool garbage FILE
 *       fills FILE (size kept, else 8 MiB) with random bytes behind a
 *       valid magic and version.
 *   channel-tool check PPM X Y WxH [square]
 *       checks that the PPM shows the quadrant picture of a WxH surface
 *       with its top left at X,Y (and the yellow square when asked);
 *       exit 0 when every pixel matches, else prints the first mismatches.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "thatte/display-channel.h"

#define DEFAULT_SIZE (8u << 20)
#define SQUARE_AT 8u
#define SQUARE 16u
#define YELLOW 0xffff00u

static volatile sig_atomic_t stop, update;

static void on_signal(int sig)
{
        if (sig == SIGUSR1)
                update = 1;
        else
                stop = 1;
}

static uint32_t quadrant(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
        static const uint32_t colours[4] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };

        return colours[(y >= h / 2) * 2 + (x >= w / 2)];
}

static bool in_square(uint32_t x, uint32_t y)
{
        return x >= SQUARE_AT && y >= SQUARE_AT && x < SQUARE_AT + SQUARE && y < SQUARE_AT + SQUARE;
}

static void *map_file(const char *path, size_t *ret_size)
{
        struct stat st;
        void *map;
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

        if (fd < 0 || fstat(fd, &st) < 0) {
                fprintf(stderr, "channel-tool: %s: %s\n", path, strerror(errno));
                exit(1);
        }
        if (st.st_size < TDC_HEADER_SIZE && ftruncate(fd, DEFAULT_SIZE) < 0) {
                fprintf(stderr, "channel-tool: %s: %s\n", path, strerror(errno));
                exit(1);
        }
        *ret_size = st.st_size < TDC_HEADER_SIZE ? DEFAULT_SIZE : (size_t)st.st_size;
        map = mmap(NULL, *ret_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (map == MAP_FAILED) {
                fprintf(stderr, "channel-tool: mapping %s: %s\n", path, strerror(errno));
                exit(1);
        }
        return map;
}

static void publish(struct tdc_header *h, unsigned b, uint64_t seq, const struct tdc_rect *r)
{
        h->buffers[b].seq = seq;
        h->buffers[b].damage_count = r ? 1 : TDC_DAMAGE_ALL;
        if (r)
                h->buffers[b].damage[0] = *r;
        __atomic_store_n(&h->published, seq * 4 + b, __ATOMIC_RELEASE);
        printf("channel-tool: published %llu\n", (unsigned long long)seq);
        fflush(stdout);
}

static void draw(struct tdc_header *h, unsigned b, bool square_only)
{
        uint32_t *p = (uint32_t *)((uint8_t *)h + h->buffers[b].offset);

        for (uint32_t y = 0; y < h->height; y++)
                for (uint32_t x = 0; x < h->width; x++)
                        p[y * (h->stride / 4) + x] = !square_only ? quadrant(x, y, h->width, h->height)
                                                     : in_square(x, y) ? YELLOW : 0;
}

static void print_input(struct tdc_header *c)
{
        uint64_t head = __atomic_load_n(&c->input_head, __ATOMIC_ACQUIRE);

        for (uint64_t t = c->input_tail; t < head; t++) {
                const struct tdc_input_event *e = &c->input[t % TDC_INPUT_RING];
                printf("channel-tool: input %u %u %d %d %d\n", e->type, e->code, e->x, e->y,
                       e->value);
        }
        __atomic_store_n(&c->input_tail, head, __ATOMIC_RELEASE);
        fflush(stdout);
}

static int fill(const char *path, const char *title, uint32_t w, uint32_t h)
{
        size_t size;
        struct tdc_header *c = map_file(path, &size);
        uint64_t bytes = ((uint64_t)w * 4 * h + 4095) / 4096 * 4096;
        struct tdc_rect square = { SQUARE_AT, SQUARE_AT, SQUARE, SQUARE };

        if (TDC_HEADER_SIZE + 2 * bytes > size) {
                fprintf(stderr, "channel-tool: %ux%u does not fit %zu bytes\n", w, h, size);
                return 1;
        }
        memset(c, 0, TDC_HEADER_SIZE);
        *c = (struct tdc_header) { .version = TDC_VERSION, .header_size = TDC_HEADER_SIZE,
                                   .total_size = size, .width = w, .height = h, .stride = w * 4,
                                   .format = TDC_FORMAT_XRGB8888, .buffer_count = 2 };
        snprintf(c->title, sizeof(c->title), "%s", title);
        c->buffers[0].offset = TDC_HEADER_SIZE;
        c->buffers[1].offset = TDC_HEADER_SIZE + bytes;
        __atomic_store_n(&c->magic, TDC_MAGIC, __ATOMIC_RELEASE);
        draw(c, 0, false);
        publish(c, 0, 1, NULL);
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
        signal(SIGUSR1, on_signal);
        while (!stop) {
                struct timespec t = { 0, 100 * 1000 * 1000 };
                __atomic_fetch_add(&c->heartbeat, 1, __ATOMIC_RELEASE);
                print_input(c);
                if (update) {
                        update = 0;
                        draw(c, 1, true);
                        publish(c, 1, 2, &square);
                }
                nanosleep(&t, NULL);
        }
        return 0;
}

static int garbage(const char *path)
{
        size_t size;
        uint8_t *c = map_file(path, &size);
        uint32_t x = 12345;

        for (size_t i = 0; i < TDC_HEADER_SIZE * 2 && i < size; i++) {
                x = x * 1103515245u + 12345u;
                c[i] = (uint8_t)(x >> 16);
        }
        ((struct tdc_header *)c)->magic = TDC_MAGIC;
        ((struct tdc_header *)c)->version = TDC_VERSION;
        return 0;
}

/* Reads a binary PPM (P6, maxval 255) into a packed 0xRRGGBB array. */
static uint32_t *read_ppm(const char *path, uint32_t *w, uint32_t *h)
{
        FILE *f = fopen(path, "rb");
        unsigned max;
        uint32_t *px;

        if (!f || fscanf(f, "P6 %u %u %u", w, h, &max) != 3 || max != 255 || fgetc(f) == EOF) {
                fprintf(stderr, "channel-tool: %s is not a P6 PPM\n", path);
                exit(1);
        }
        px = malloc((size_t)*w * *h * 4);
        for (size_t i = 0; px && i < (size_t)*w * *h; i++) {
                int r = fgetc(f), g = fgetc(f), b = fgetc(f);
                px[i] = (uint32_t)(r & 0xff) << 16 | (uint32_t)(g & 0xff) << 8 | (uint32_t)(b & 0xff);
        }
        fclose(f);
        return px;
}

static int check(const char *path, int x0, int y0, uint32_t w, uint32_t h, bool square)
{
        uint32_t pw, ph, *px = read_ppm(path, &pw, &ph);
        unsigned bad = 0;

        if (x0 < 0 || y0 < 0 || x0 + w > pw || y0 + h > ph) {
                printf("# the surface %ux%u at %d,%d is not inside the %ux%u picture\n", w, h, x0,
                       y0, pw, ph);
                return 1;
        }
        for (uint32_t y = 0; y < h; y++)
                for (uint32_t x = 0; x < w; x++) {
                        uint32_t want = square && in_square(x, y) ? YELLOW : quadrant(x, y, w, h);
                        uint32_t got = px[(size_t)(y0 + (int)y) * pw + (size_t)x0 + x];
                        if (got != want && bad++ < 5)
                                printf("# surface pixel %u,%u: %06x, want %06x\n", x, y, got, want);
                }
        free(px);
        printf("# %u of %u pixels differ\n", bad, w * h);
        return bad != 0;
}

static int parse_size(const char *s, uint32_t *w, uint32_t *h)
{
        return sscanf(s, "%ux%u", w, h) == 2 && *w > 0 && *h > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
        uint32_t w, h;

        if (argc == 5 && strcmp(argv[1], "fill") == 0 && parse_size(argv[4], &w, &h) == 0)
                return fill(argv[2], argv[3], w, h);
        if (argc == 3 && strcmp(argv[1], "garbage") == 0)
                return garbage(argv[2]);
        if ((argc == 6 || argc == 7) && strcmp(argv[1], "check") == 0 &&
            parse_size(argv[5], &w, &h) == 0)
                return check(argv[2], atoi(argv[3]), atoi(argv[4]), w, h, argc == 7);
        fprintf(stderr, "usage: channel-tool fill FILE TITLE WxH | garbage FILE | "
                        "check PPM X Y WxH [square]\n");
        return 2;
}
