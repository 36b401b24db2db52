/* tests/unit/client-publish.c: thatte-display-client's producer side
 * (compositor/client/publish.c) on a channel in memory: the layout, the
 * header, the buffer choice (never the published nor the read one),
 * damage (clipping, the bounding box past TDC_DAMAGE_MAX), the sequence
 * numbers, buffers brought up to date, the heartbeat and the input ring. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/client/draw.h"
#include "compositor/client/publish.h"
#include "tests/tap.h"

#define W 64u
#define H 40u
#define SIZE (1u << 20)

static void *channel_memory(void)
{
        void *mem = aligned_alloc(4096, SIZE);

        memset(mem, 0xa5, SIZE); /* a previous user's leftovers */
        return mem;
}

static const uint32_t *buffer(const struct tdcc_channel *ch, unsigned b)
{
        return (const uint32_t *)((const char *)ch->hdr + ch->hdr->buffers[b].offset);
}

static void test_layout(void)
{
        is_int(tdcc_layout(SIZE, W, H), 3, "three buffers fit in 1 MiB");
        is_int(tdcc_layout(4096 + 2 * 12288, 64, 40), 2, "two buffers fit exactly");
        is_int(tdcc_layout(4096 + 12288, 64, 40), -ENOSPC, "one buffer is too few");
        is_int(tdcc_layout(100, 1, 1), -ENOSPC, "no room for the header");
        is_int(tdcc_layout(SIZE, 0, 1), -EINVAL, "width 0");
        is_int(tdcc_layout(1ull << 40, 4097, 1), -EINVAL, "width past the maximum");
}

static void test_init(void)
{
        struct tdcc_channel ch;
        void *mem = channel_memory();
        struct tdc_header *h = mem;
        char title[TDC_TITLE_MAX + 1];

        is_int(tdcc_init(&ch, mem, SIZE, "hello", W, H), 0, "init");
        ok(h->magic == TDC_MAGIC && h->version == TDC_VERSION &&
           h->header_size == TDC_HEADER_SIZE && h->total_size == SIZE, "magic, version, sizes");
        ok(strcmp(h->title, "hello") == 0 && h->title[TDC_TITLE_MAX - 1] == '\0', "title");
        ok(h->width == W && h->height == H && h->stride == W * 4 &&
           h->format == TDC_FORMAT_XRGB8888 && h->buffer_count == 3, "surface");
        ok(h->published == 0 && h->reading == 0 && h->shown == 0 && h->heartbeat == 0 &&
           h->input_head == 0, "changing fields start at 0, leftovers gone");
        for (unsigned b = 0; b < 3; b++)
                ok(h->buffers[b].offset % 4096 == 0 && h->buffers[b].offset >= TDC_HEADER_SIZE &&
                   h->buffers[b].offset + W * 4 * H <= SIZE &&
                   (b == 0 || h->buffers[b].offset >= h->buffers[b - 1].offset + W * 4 * H),
                   "buffer %u: aligned, inside, not overlapping", b);
        memset(title, 'x', TDC_TITLE_MAX);
        title[TDC_TITLE_MAX] = '\0';
        is_int(tdcc_init(&ch, mem, SIZE, title, W, H), -EINVAL, "a 48-byte title is refused");
        free(mem);
}

static void test_pick(void)
{
        for (uint32_t count = 2; count <= 3; count++)
                for (uint64_t p = 0; p < 16; p++)
                        for (uint64_t rd = 0; rd <= count; rd++) {
                                uint64_t published = p < 4 ? 0 : p; /* 0: nothing yet */
                                int b = tdcc_pick(published, rd, count);
                                int pb = published ? (int)(published % 4) : -1;
                                int rb = rd ? (int)rd - 1 : -1;

                                if (published && published % 4 >= count)
                                        continue;
                                if (b < 0) {
                                        ok(count == 2 && pb >= 0 && rb >= 0 && pb != rb,
                                           "count %u published %llu reading %llu: "
                                           "busy only when both buffers are taken", count,
                                           (unsigned long long)published,
                                           (unsigned long long)rd);
                                        continue;
                                }
                                if (b == pb || b == rb || b >= (int)count)
                                        ok(0, "count %u published %llu reading %llu: got %d",
                                           count, (unsigned long long)published,
                                           (unsigned long long)rd, b);
                        }
        ok(1, "no buffer choice was the published, the read or a missing one");
        is_int(tdcc_pick(1 * 4 + 0, 2, 2), -EAGAIN, "two buffers, both taken");
        is_int(tdcc_pick(0, 0, 2), 0, "nothing published: buffer 0");
}

static void test_damage(void)
{
        struct tdcc_damage d = { 0 };

        tdcc_damage_add(&d, (struct tdc_rect){ 60, 30, 10, 20 }, W, H);
        ok(d.count == 1 && d.rect[0].w == 4 && d.rect[0].h == 10, "clipped to the surface");
        tdcc_damage_add(&d, (struct tdc_rect){ 64, 0, 1, 1 }, W, H);
        tdcc_damage_add(&d, (struct tdc_rect){ 1, 1, 0, 5 }, W, H);
        is_int(d.count, 1, "outside or empty rectangles are dropped");
        for (uint32_t i = 0; i < TDC_DAMAGE_MAX; i++)
                tdcc_damage_add(&d, (struct tdc_rect){ i, i, 1, 1 }, W, H);
        is_int(d.count, 1, "the 17th rectangle collapses them");
        ok(d.rect[0].x == 0 && d.rect[0].y == 0 && d.rect[0].w == 64 && d.rect[0].h == 40,
           "into their bounding box");
        d.count = TDC_DAMAGE_ALL;
        tdcc_damage_add(&d, (struct tdc_rect){ 1, 1, 1, 1 }, W, H);
        ok(d.count == TDC_DAMAGE_ALL, "all stays all");
}

/* A surface, its square moving frame by frame; each published buffer must
 * equal the surface, whichever older frame it held before. */
static void test_publish(void)
{
        struct tdcc_channel ch;
        void *mem = channel_memory();
        struct tdc_header *h = mem;
        uint32_t *bg = malloc(W * H * 4), *surface = malloc(W * H * 4);
        struct tdcc_look look = { TDCC_PATTERN_GRADIENT, 0 };
        struct tdcc_damage d = { .count = TDC_DAMAGE_ALL };
        int good = 1, seq_good = 1, exclusive = 1;

        tdcc_draw(bg, W, H, W, &look);
        memcpy(surface, bg, W * H * 4);
        (void)tdcc_init(&ch, mem, SIZE, "anim", W, H);
        is_int(tdcc_publish(&ch, surface, W, &d), 1, "first frame is seq 1");
        ok(h->published == 4 + 0 && h->buffers[0].seq == 1 &&
           h->buffers[0].damage_count == TDC_DAMAGE_ALL, "published = 1 * 4 + 0, all damaged");
        ok(memcmp(buffer(&ch, 0), surface, W * H * 4) == 0, "buffer 0 holds the picture");
        for (uint64_t n = 2; n < 40; n++) {
                struct tdc_rect old = tdcc_square(n - 1, W, H), now = tdcc_square(n, W, H);
                /* every third frame a reader holds the buffer after the published one */
                uint64_t reading = n % 3 ? 0 : (h->published % 4 + 1) % 3 + 1;
                int64_t s;

                d.count = 0;
                tdcc_copy_rect(surface, bg, W, old);
                tdcc_damage_add(&d, old, W, H);
                tdcc_fill_rect(surface, W, now, TDCC_SQUARE_COLOR);
                tdcc_damage_add(&d, now, W, H);
                h->reading = reading;
                s = tdcc_publish(&ch, surface, W, &d);
                seq_good &= s == (int64_t)n && h->published / 4 == n &&
                            h->buffers[h->published % 4].seq == n &&
                            h->buffers[h->published % 4].damage_count == 2;
                exclusive &= !reading || h->published % 4 != reading - 1;
                good &= memcmp(buffer(&ch, h->published % 4), surface, W * H * 4) == 0;
        }
        ok(seq_good, "seq counts up, published names it and its buffer, damage = 2 rectangles");
        ok(exclusive, "never the buffer being read");
        ok(good, "every published buffer equals the surface");
        h->reading = 0;
        d.count = TDC_DAMAGE_ALL;
        ok(tdcc_publish(&ch, surface, W, &d) == 40 &&
           h->buffers[h->published % 4].damage_count == TDC_DAMAGE_ALL, "a whole-surface frame");
        tdcc_heartbeat(&ch);
        tdcc_heartbeat(&ch);
        is_int(h->heartbeat, 2, "heartbeat");
        tdcc_close(&ch);
        is_int(h->magic, 0, "close clears the magic");
        free(bg);
        free(surface);
        free(mem);
}

static void test_input(void)
{
        struct tdcc_channel ch;
        void *mem = channel_memory();
        struct tdc_header *h = mem;
        struct tdc_input_event ev;
        int n = 0;

        (void)tdcc_init(&ch, mem, SIZE, "in", W, H);
        is_int(tdcc_input(&ch, &ev), 0, "an empty ring");
        for (uint64_t i = 0; i < 70; i++) {
                h->input[i % TDC_INPUT_RING] = (struct tdc_input_event){
                        .type = TDC_INPUT_KEY, .code = (uint32_t)i, .value = 1 };
                h->input_head = i + 1;
                if (i % 7 == 6)
                        while (tdcc_input(&ch, &ev))
                                n += ev.code == (uint32_t)n;
        }
        while (tdcc_input(&ch, &ev))
                n += ev.code == (uint32_t)n;
        is_int(n, 70, "70 events in order across the ring's end");
        is_int(h->input_tail, 70, "input_tail says so");
        h->input_head = 70 + TDC_INPUT_RING + 1;
        is_int(tdcc_input(&ch, &ev), 0, "a head more than a ring ahead is skipped to");
        is_int(h->input_tail, 70 + TDC_INPUT_RING + 1, "and the tail follows");
        h->input_head = 3;
        is_int(tdcc_input(&ch, &ev), 0, "a head behind the tail too");
        free(mem);
}

int main(void)
{
        test_layout();
        test_init();
        test_pick();
        test_damage();
        test_publish();
        test_input();
        return tap_done();
}
