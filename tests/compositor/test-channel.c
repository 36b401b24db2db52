/* tests/compositor/test-channel.c: the channel reader against good and
 * hostile headers, the read protocol, heartbeats, the input ring, and
 * memory that vanishes (a channel file truncated while mapped). */
#define _GNU_SOURCE 1   /* memfd_create */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compositor/channel.h"
#include "compositor/guard.h"
#include "tests/compositor/channel-fixture.h"
#include "tests/tap.h"

#define SIZE (1u << 20)
#define W 64
#define H 48

static int check(struct tdc_header *c, size_t size)
{
        struct comp_channel_info info;
        char err[256] = "";
        int r = comp_channel_check(c, size, &info, err, sizeof(err));

        if (r < 0)
                tap_diag("rejected: %s", err);
        return r;
}

/* Each hostile header: a valid one with one field spoiled. */
#define HOSTILE(name, stmt)                                                            \
        do {                                                                           \
                struct tdc_header *c = fixture_channel(SIZE, W, H, "t");               \
                stmt;                                                                  \
                is_int(check(c, SIZE), -EINVAL, "rejects %s", name);                   \
                free(c);                                                               \
        } while (0)

static void check_hostile(void);

static void check_headers(void)
{
        struct tdc_header *c = fixture_channel(SIZE, W, H, "good\x01one");
        struct comp_channel_info info;
        char err[256];

        is_int(comp_channel_check(c, SIZE, &info, err, sizeof(err)), 0, "accepts a good header");
        ok(strcmp(info.title, "good?one") == 0, "control characters in the title become '?'");
        ok(info.width == W && info.height == H && info.buffer_count == 2, "surface and buffers");
        is_int(check(c, TDC_HEADER_SIZE - 1), -EINVAL, "rejects a mapping smaller than a header");
        is_int(check(c, SIZE / 2), -EINVAL, "rejects total_size beyond the real mapping");
        memset(c->title, 'x', TDC_TITLE_MAX);
        is_int(comp_channel_check(c, SIZE, &info, err, sizeof(err)), 0, "title without a NUL");
        is_int(strlen(info.title), TDC_TITLE_MAX, "is cut at TDC_TITLE_MAX");
        free(c);
        check_hostile();
}

static void check_hostile(void)
{
        HOSTILE("a wrong magic", c->magic ^= 1);
        HOSTILE("version 2", c->version = 2);
        HOSTILE("another header size", c->header_size = 8192);
        HOSTILE("total_size below a header", c->total_size = 100);
        HOSTILE("total_size beyond the mapping", c->total_size = SIZE + 4096);
        HOSTILE("width 0", c->width = 0);
        HOSTILE("height 0", c->height = 0);
        HOSTILE("width past the maximum", c->width = TDC_WIDTH_MAX + 1; c->stride = c->width * 4);
        HOSTILE("height past the maximum", c->height = TDC_HEIGHT_MAX + 1);
        HOSTILE("a stride shorter than a row", c->stride = W * 4 - 4);
        HOSTILE("a stride not a multiple of 4", c->stride = W * 4 + 2);
        HOSTILE("a huge stride overflowing the channel", c->stride = 0xfffffffc);
        HOSTILE("an unknown format", c->format = 7);
        HOSTILE("one buffer", c->buffer_count = 1);
        HOSTILE("four buffers", c->buffer_count = 4);
        HOSTILE("a buffer inside the header", c->buffers[1].offset = 0);
        HOSTILE("an unaligned buffer", c->buffers[1].offset += 8);
        HOSTILE("a buffer past the end", c->buffers[1].offset = SIZE);
        HOSTILE("a buffer running past the end", c->buffers[1].offset = SIZE - 4096);
        HOSTILE("a wrapping offset", c->buffers[0].offset = UINT64_MAX - 4095);
        HOSTILE("a buffer past a smaller total_size",
                c->total_size = c->buffers[1].offset + 4096);
}

/* Buffer b filled with value v everywhere. */
static void fill(struct tdc_header *c, unsigned b, uint32_t v)
{
        uint32_t *p = fixture_pixels(c, b);

        for (uint32_t i = 0; i < W * H; i++)
                p[i] = v;
}

static unsigned count_value(const struct comp_channel *ch, uint32_t v)
{
        unsigned n = 0;

        for (uint32_t i = 0; i < W * H; i++)
                n += ch->surface[i] == v;
        return n;
}

static void check_reading(void)
{
        struct tdc_header *c = fixture_channel(SIZE, W, H, "reader");
        struct comp_channel ch;
        struct comp_damage d;
        struct comp_rect surface = { 0, 0, W, H };
        struct tdc_rect r = { 8, 4, 16, 2 };
        char err[256];

        is_int(comp_channel_open(&ch, c, SIZE, 0, err, sizeof(err)), 0, "opens");
        comp_damage_init(&d, surface);
        is_int(comp_channel_read(&ch, &d), 0, "nothing published: no frame");
        fill(c, 0, 0x111111);
        fixture_publish(c, 0, 1, &r, 1);
        is_int(comp_channel_read(&ch, &d), 1, "frame 1 is taken");
        ok(d.n == 1 && d.rects[0].w == W && d.rects[0].h == H, "the first frame is a full repaint");
        is_int(count_value(&ch, 0x111111), W * H, "all of it copied");
        ok(c->reading == 0 && c->shown == 1, "reading back to 0, shown = 1");
        is_int(comp_channel_read(&ch, &d), 0, "the same frame again: nothing");

        fill(c, 1, 0x222222);
        comp_damage_init(&d, surface);
        fixture_publish(c, 1, 2, &r, 1);
        is_int(comp_channel_read(&ch, &d), 1, "frame 2 is taken");
        ok(d.n == 1 && d.rects[0].x == 8 && d.rects[0].y == 4 && d.rects[0].w == 16 &&
           d.rects[0].h == 2, "its damage is the rectangle");
        is_int(count_value(&ch, 0x222222), 32, "only the rectangle copied");

        fill(c, 0, 0x333333);
        comp_damage_init(&d, surface);
        fixture_publish(c, 0, 4, &r, 1);
        is_int(comp_channel_read(&ch, &d), 1, "frame 4 (3 skipped) is taken");
        is_int(count_value(&ch, 0x333333), W * H, "a skipped frame repaints everything");

        struct tdc_rect outside = { W - 4, 0, 8, 1 };
        fill(c, 1, 0x444444);
        fixture_publish(c, 1, 5, &outside, 1);
        comp_channel_read(&ch, &d);
        is_int(count_value(&ch, 0x444444), W * H, "a rectangle outside the surface: full copy");
        struct tdc_rect wrap = { 4, 4, UINT32_MAX - 2, 1 };
        fill(c, 0, 0x555555);
        fixture_publish(c, 0, 6, &wrap, 1);
        comp_channel_read(&ch, &d);
        is_int(count_value(&ch, 0x555555), W * H, "a wrapping rectangle: full copy");
        fill(c, 1, 0x666666);
        fixture_publish(c, 1, 7, &r, 1);
        c->buffers[1].damage_count = TDC_DAMAGE_MAX + 1;
        comp_channel_read(&ch, &d);
        is_int(count_value(&ch, 0x666666), W * H, "a count past TDC_DAMAGE_MAX: full copy");

        fill(c, 0, 0x777777);
        fixture_publish(c, 0, 8, &r, 1);
        c->buffers[0].seq = 99;
        is_int(comp_channel_read(&ch, &d), 0, "a buffer whose seq disagrees is not taken");
        is_int(c->reading, 0, "and reading is released");
        c->published = 9 * 4 + 2;
        is_int(comp_channel_read(&ch, &d), 0, "a buffer index past buffer_count is not taken");
        c->published = 9 * 4 + 3;
        is_int(comp_channel_read(&ch, &d), 0, "index 3 neither");
        is_int(count_value(&ch, 0x777777), 0, "nothing copied from refused frames");

        ok(comp_channel_same(&ch), "unchanged header is the same");
        c->width = W - 1;
        ok(!comp_channel_same(&ch), "a changed width is noticed");
        c->width = W;
        comp_channel_close(&ch);
        free(c);
}

static void check_heartbeat_and_input(void)
{
        struct tdc_header *c = fixture_channel(SIZE, W, H, "beat");
        struct comp_channel ch;
        struct tdc_input_event e = { .type = TDC_INPUT_KEY, .code = 30, .value = 1 };
        char err[256];

        comp_channel_open(&ch, c, SIZE, 1000, err, sizeof(err));
        ok(comp_channel_alive(&ch, 1000 + TDC_STALE_MS - 1), "alive just before TDC_STALE_MS");
        ok(!ch.heartbeat_moved, "the heartbeat has not moved");
        ok(!comp_channel_alive(&ch, 1000 + TDC_STALE_MS), "stale at TDC_STALE_MS");
        c->heartbeat++;
        ok(comp_channel_alive(&ch, 5000), "a new heartbeat revives it");
        ok(ch.heartbeat_moved, "and counts as moved");

        for (unsigned i = 0; i < TDC_INPUT_RING + 3; i++)
                comp_channel_input(&ch, &e);
        ok(c->input_head == TDC_INPUT_RING && c->input_dropped == 3, "a full ring drops and counts");
        ok(c->input[5].type == TDC_INPUT_KEY && c->input[5].code == 30, "events land in the ring");
        c->input_tail = TDC_INPUT_RING;
        comp_channel_input(&ch, &e);
        is_int(c->input_head, TDC_INPUT_RING + 1, "consumed events make room");
        c->input_tail = c->input_head + 10;
        comp_channel_input(&ch, &e);
        is_int(c->input_head, TDC_INPUT_RING + 1, "a tail ahead of head writes nothing");
        comp_channel_close(&ch);
        free(c);
}

static void bail(const char *what)
{
        printf("Bail out! %s: %s\n", what, strerror(errno));
        exit(1);
}

/* A channel in a file (memfd) of SIZE bytes, mapped; its fd in *ret_fd. */
static struct tdc_header *file_channel(int *ret_fd)
{
        int fd = memfd_create("channel", MFD_CLOEXEC);
        void *map;

        if (fd < 0 || ftruncate(fd, SIZE) < 0)
                bail("memfd");
        map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (map == MAP_FAILED)
                bail("mmap");
        *ret_fd = fd;
        return fixture_init(map, SIZE, W, H, "file");
}

/* Truncated to `size` after frame 1: every function survives, the channel
 * is lost, nothing more is read or written. (Only whole pages past the new
 * end fault: a file cut inside its header page reads zeros there, and
 * sources.c notices its size instead.) */
static void check_truncated(size_t size, bool input_first, const char *name)
{
        int fd;
        struct tdc_header *c = file_channel(&fd);
        struct tdc_input_event e = { .type = TDC_INPUT_KEY, .code = 30, .value = 1 };
        struct comp_channel ch;
        struct comp_damage d;
        char err[256] = "";

        comp_damage_init(&d, (struct comp_rect) { 0, 0, W, H });
        is_int(comp_channel_open(&ch, c, SIZE, 0, err, sizeof(err)), 0, "%s: opens", name);
        fixture_publish(c, 0, 1, &(struct tdc_rect) { 0, 0, W, H }, 1);
        is_int(comp_channel_read(&ch, &d), 1, "%s: frame 1 is taken", name);
        if (ftruncate(fd, (off_t)size) < 0)
                bail("ftruncate");
        if (size >= TDC_HEADER_SIZE) {
                /* The header is still there: a frame from the gone buffer. */
                ok(comp_channel_alive(&ch, 1), "%s: the heartbeat still reads", name);
                is_int(comp_channel_read(&ch, &d), 0, "%s: no new frame yet", name);
                c->buffers[1].seq = 2;
                c->buffers[1].damage_count = TDC_DAMAGE_ALL;
                __atomic_store_n(&c->published, 2 * 4 + 1, __ATOMIC_RELEASE);
                is_int(comp_channel_read(&ch, &d), -EFAULT, "%s: reading the gone buffer faults",
                       name);
        } else if (input_first) {
                comp_channel_input(&ch, &e);
                ok(ch.lost, "%s: writing an input event faults", name);
        } else {
                ok(!comp_channel_alive(&ch, 1), "%s: the heartbeat faults: not alive", name);
        }
        ok(ch.lost, "%s: the channel is lost", name);
        ok(!comp_channel_same(&ch), "%s: not the same any more", name);
        is_int(comp_channel_read(&ch, &d), -EFAULT, "%s: reading again refuses", name);
        comp_channel_input(&ch, &e);
        ok(!comp_channel_alive(&ch, 2), "%s: not alive", name);
        comp_channel_close(&ch);
        if (size < TDC_HEADER_SIZE) {
                is_int(comp_channel_check(c, SIZE, &ch.info, err, sizeof(err)), -EFAULT,
                       "%s: checking the header faults", name);
                ok(strcmp(err, COMP_CHANNEL_LOST) == 0, "%s: and says why (%s)", name, err);
                int r = comp_channel_open(&ch, c, SIZE, 0, err, sizeof(err));
                is_int(r, -EFAULT, "%s: opening faults", name);
                if (r == 0)
                        comp_channel_close(&ch);
        }
        munmap(c, SIZE);
        close(fd);
}

enum unguarded { NO_GUARD, OTHER_RANGE, SENT_BY_KILL };

/* A SIGBUS the guards do not cover still ends the program (in a child):
 * with no guard, with a guard over other memory, or sent by kill() under a
 * guard over all memory (it is no fault of a channel). */
static void check_unguarded_fault(enum unguarded how)
{
        static const char *const names[] = { "with no guard", "outside the current guard's range",
                                              "sent by kill() inside a guard" };
        int fd, status;
        struct tdc_header *c = file_channel(&fd);
        char spare[8192];
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                struct comp_guard g;
                if (how == SENT_BY_KILL)
                        comp_guard_push(&g, NULL, SIZE_MAX);
                else
                        comp_guard_push(&g, spare, sizeof(spare));
                if (sigsetjmp(g.jump, 0))
                        _exit(4);
                if (how == NO_GUARD)
                        comp_guard_pop(&g);
                if (ftruncate(fd, 0) < 0 || !freopen("/dev/null", "w", stderr))
                        _exit(3);
                if (how == SENT_BY_KILL)
                        kill(getpid(), SIGBUS);
                else
                        c->heartbeat++;
                _exit(0);
        }
        waitpid(pid, &status, 0);
        /* Killed by SIGBUS, or stopped by the sanitizer's report (exit 1). */
        ok((WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) ||
           (WIFEXITED(status) && WEXITSTATUS(status) == 1),
           "a SIGBUS %s is not swallowed (status %#x)", names[how], status);
        munmap(c, SIZE);
        close(fd);
}

static void check_vanishing(void)
{
        check_truncated(0, false, "truncated to 0");
        check_truncated(0, true, "truncated to 0, then input");
        check_truncated(TDC_HEADER_SIZE + 4096, false, "shrunk below the pixel buffers");
        check_unguarded_fault(NO_GUARD);
        check_unguarded_fault(OTHER_RANGE);
        check_unguarded_fault(SENT_BY_KILL);
}

int main(void)
{
        check_headers();
        check_reading();
        check_heartbeat_and_input();
        check_vanishing();
        return tap_done();
}
