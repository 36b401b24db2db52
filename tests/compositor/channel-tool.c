/* tests/compositor/channel-tool.c: the host side of the compositor's
 * channel tests.
 *
 *   channel-tool fill FILE TITLE WxH
 *       makes FILE a channel (its size is kept when it has one, else 8 MiB)
 *       with a valid header and the quadrant picture (red, green / blue,
 *       white), publishes it and keeps the heartbeat going until SIGTERM
 *       (then the heartbeat stops and the file stays). SIGUSR1 publishes
 *       the next frame: the first (and every odd one) a damage-only update,
 *       a 16x16 yellow square at (8,8), from a buffer that is black
 *       everywhere else, so only honoured damage looks right; the second
 *       (and every even one) the whole quadrant picture again.
 *       Prints "channel-tool: published N" after each frame and
 *       "channel-tool: input TYPE CODE X Y VALUE" for each input event.
 *   channel-tool bench FILE TITLE WxH N
 *       like fill, then (once frame 1 is shown) N damage-only frames, each
 *       a 64x64 square, one at a time: prints "channel-tool: published
 *       SEQ at NS" (CLOCK_MONOTONIC) and waits until the compositor has
 *       taken it; for tests/bench/compositor-latency.sh, which runs it
 *       inside DriverOS next to the compositor (FILE: a resource2 file).
 *   channel-tool cut FILE BYTES
 *       as a hostile host process: truncates the channel FILE (filled by
 *       another channel-tool) to BYTES, then publishes the next frame from
 *       its other buffer (writing only the header page), so a reader that
 *       takes it touches pixels that are gone.
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

#include "tests/helpers/ppm.h"
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

/* A sysfs resource file: the device decodes its BAR only once enabled. */
static void enable_pci(const char *path)
{
        size_t n = strlen(path);
        char enable[512];
        int fd;

        if (n < 10 || strcmp(path + n - 10, "/resource2") != 0 || n >= sizeof(enable))
                return;
        snprintf(enable, sizeof(enable), "%.*senable", (int)(n - 9), path);
        fd = open(enable, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
                (void)!write(fd, "1", 1);
                close(fd);
        }
}

static void *map_file(const char *path, size_t *ret_size)
{
        struct stat st;
        void *map;
        int fd;

        enable_pci(path);
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

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

/* Maps FILE and writes a header for a w x h surface with two buffers. */
static struct tdc_header *setup(const char *path, const char *title, uint32_t w, uint32_t h)
{
        size_t size;
        struct tdc_header *c = map_file(path, &size);

        if (TDC_HEADER_SIZE + 2 * tdc_buffer_bytes(w, h) > size) {
                fprintf(stderr, "channel-tool: %ux%u does not fit %zu bytes\n", w, h, size);
                exit(1);
        }
        tdc_header_init(c, size, title, w, h, 2);
        __atomic_store_n(&c->magic, TDC_MAGIC, __ATOMIC_RELEASE);
        draw(c, 0, false);
        publish(c, 0, 1, NULL);
        return c;
}

static int fill(const char *path, const char *title, uint32_t w, uint32_t h)
{
        struct tdc_header *c = setup(path, title, w, h);
        struct tdc_rect square = { SQUARE_AT, SQUARE_AT, SQUARE, SQUARE };
        uint64_t seq = 1;

        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
        signal(SIGUSR1, on_signal);
        while (!stop) {
                struct timespec t = { 0, 100 * 1000 * 1000 };
                __atomic_fetch_add(&c->heartbeat, 1, __ATOMIC_RELEASE);
                print_input(c);
                if (update) {
                        bool with_square = ++seq % 2 == 0;
                        update = 0;
                        draw(c, seq % 2 == 0, with_square);
                        publish(c, seq % 2 == 0, seq, with_square ? &square : NULL);
                }
                nanosleep(&t, NULL);
        }
        return 0;
}

static uint64_t now_ns(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Waits (beating) until the compositor has taken frame seq; false after
 * timeout_ms. */
static bool wait_shown(struct tdc_header *c, uint64_t seq, unsigned timeout_ms)
{
        for (unsigned ms = 0; ms < timeout_ms; ms++) {
                struct timespec t = { 0, 1000 * 1000 };
                if (__atomic_load_n(&c->shown, __ATOMIC_ACQUIRE) >= seq)
                        return true;
                if (ms % 50 == 0)
                        __atomic_fetch_add(&c->heartbeat, 1, __ATOMIC_RELEASE);
                nanosleep(&t, NULL);
        }
        return false;
}

static int bench(const char *path, const char *title, uint32_t w, uint32_t h, unsigned n)
{
        struct tdc_header *c = setup(path, title, w, h);

        if (w < 64 || h < 64 || !wait_shown(c, 1, 60000)) {
                fprintf(stderr, "channel-tool: frame 1 was never shown\n");
                return 1;
        }
        for (uint64_t seq = 2; seq < n + 2; seq++) {
                unsigned b = (unsigned)(seq % 2);
                uint32_t *p = (uint32_t *)((uint8_t *)c + c->buffers[b].offset);
                struct tdc_rect r = { (uint32_t)(seq * 8 % (w - 63)), (uint32_t)(seq * 4 % (h - 63)), 64, 64 };

                for (uint32_t y = r.y; y < r.y + 64; y++)
                        for (uint32_t x = r.x; x < r.x + 64; x++)
                                p[y * (c->stride / 4) + x] = (uint32_t)seq * 0x10101u & 0xffffff;
                c->buffers[b].seq = seq;
                c->buffers[b].damage_count = 1;
                c->buffers[b].damage[0] = r;
                uint64_t t = now_ns();
                __atomic_store_n(&c->published, seq * 4 + b, __ATOMIC_RELEASE);
                printf("channel-tool: published %llu at %llu\n", (unsigned long long)seq,
                       (unsigned long long)t);
                fflush(stdout);
                if (!wait_shown(c, seq, 10000)) {
                        fprintf(stderr, "channel-tool: frame %llu was never shown\n",
                                (unsigned long long)seq);
                        return 1;
                }
                wait_shown(c, UINT64_MAX, 20);  /* a pause between frames */
        }
        printf("channel-tool: bench done\n");
        return 0;
}

static int cut(const char *path, long long bytes)
{
        size_t size;
        struct tdc_header *c = map_file(path, &size);
        uint64_t p = __atomic_load_n(&c->published, __ATOMIC_ACQUIRE);
        unsigned b = (unsigned)(p % 4 + 1) % 2;

        if (bytes < TDC_HEADER_SIZE || truncate(path, bytes) < 0) {
                fprintf(stderr, "channel-tool: cannot cut %s to %lld bytes\n", path, bytes);
                return 1;
        }
        c->buffers[b].seq = p / 4 + 1;
        c->buffers[b].damage_count = TDC_DAMAGE_ALL;
        __atomic_store_n(&c->published, (p / 4 + 1) * 4 + b, __ATOMIC_RELEASE);
        printf("channel-tool: cut to %lld bytes, published %llu\n", bytes,
               (unsigned long long)(p / 4 + 1));
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

/* A screendump or ppm-backend picture; exits when there is none. */
static void read_ppm(const char *path, struct ppm *ret)
{
        FILE *f = fopen(path, "rb");
        const char *why = NULL;

        if (!f || ppm_read(f, ret, &why) < 0) {
                fprintf(stderr, "channel-tool: %s is not a P6 PPM\n", path);
                exit(1);
        }
        fclose(f);
}

static uint32_t rgb_at(const struct ppm *img, uint32_t x, uint32_t y)
{
        const unsigned char *p = ppm_pixel(img, x, y);

        return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static int check(const char *path, int x0, int y0, uint32_t w, uint32_t h, bool square)
{
        struct ppm img;
        unsigned bad = 0;

        read_ppm(path, &img);
        if (x0 < 0 || y0 < 0 || x0 + w > img.width || y0 + h > img.height) {
                printf("# the surface %ux%u at %d,%d is not inside the %ux%u picture\n", w, h, x0,
                       y0, img.width, img.height);
                ppm_free(&img);
                return 1;
        }
        for (uint32_t y = 0; y < h; y++)
                for (uint32_t x = 0; x < w; x++) {
                        uint32_t want = square && in_square(x, y) ? YELLOW : quadrant(x, y, w, h);
                        uint32_t got = rgb_at(&img, (uint32_t)x0 + x, (uint32_t)y0 + y);
                        if (got != want && bad++ < 5)
                                printf("# surface pixel %u,%u: %06x, want %06x\n", x, y, got, want);
                }
        ppm_free(&img);
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
        if (argc == 6 && strcmp(argv[1], "bench") == 0 && parse_size(argv[4], &w, &h) == 0)
                return bench(argv[2], argv[3], w, h, (unsigned)atoi(argv[5]));
        if (argc == 4 && strcmp(argv[1], "cut") == 0)
                return cut(argv[2], atoll(argv[3]));
        if (argc == 3 && strcmp(argv[1], "garbage") == 0)
                return garbage(argv[2]);
        if ((argc == 6 || argc == 7) && strcmp(argv[1], "check") == 0 &&
            parse_size(argv[5], &w, &h) == 0)
                return check(argv[2], atoi(argv[3]), atoi(argv[4]), w, h, argc == 7);
        fprintf(stderr, "usage: channel-tool fill FILE TITLE WxH | bench FILE TITLE WxH N | cut FILE BYTES | "
                        "garbage FILE | "
                        "check PPM X Y WxH [square]\n");
        return 2;
}
