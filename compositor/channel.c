/* compositor/channel.c: checking a channel's header and taking its frames.
 *
 * The header is copied into a local snapshot before anything is checked;
 * after that only the snapshot (and comp_channel_info) is used, so values
 * the client changes meanwhile cannot pass a check and then be used
 * differently. 64-bit fields shared with the client go through __atomic
 * loads and stores (acquire/release as the protocol says).
 *
 * Every public function touches the mapping only under a guard (guard.h):
 * a host file truncated under us faults, and that marks the channel lost
 * instead of killing the compositor. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compositor/channel.h"
#include "compositor/guard.h"

#define PAGE 4096u

static uint64_t load(const volatile uint64_t *p)
{
        return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

static void store(volatile uint64_t *p, uint64_t v)
{
        __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE);
}

/* The function's doorbell, when it has one: a release fence first, so the
 * fields stored above are visible before the client wakes. */
static void ring(struct comp_channel *c)
{
        if (!c->bell)
                return;
        __atomic_thread_fence(__ATOMIC_RELEASE);
        *c->bell = 1;
}

/* Byte by byte from volatile memory: memcpy may not read it. */
static void snapshot(void *dst, const volatile void *src, size_t n)
{
        const volatile uint8_t *s = src;
        uint8_t *d = dst;

        for (size_t i = 0; i < n; i++)
                d[i] = s[i];
}

static void clean_title(const char *raw, char *ret)
{
        size_t i;

        for (i = 0; i < TDC_TITLE_MAX && raw[i]; i++)
                ret[i] = raw[i] >= 0x20 && raw[i] < 0x7f ? raw[i] : '?';
        if (i == 0)
                ret[i++] = '?';
        ret[i] = '\0';
}

static int check_buffers(const struct tdc_header *h, size_t size, struct comp_channel_info *ret,
                         char *err, size_t errlen)
{
        uint64_t bytes = (uint64_t)h->stride * h->height;

        for (uint32_t i = 0; i < h->buffer_count; i++) {
                uint64_t off = h->buffers[i].offset;

                if (off < TDC_HEADER_SIZE || off % PAGE != 0 || off > size || size - off < bytes) {
                        snprintf(err, errlen, "buffer %u at offset %llu (%llu bytes) is outside "
                                 "the %zu-byte channel or not page-aligned", i,
                                 (unsigned long long)off, (unsigned long long)bytes, size);
                        return -EINVAL;
                }
                ret->offsets[i] = off;
        }
        return 0;
}

static int check_surface(const struct tdc_header *h, char *err, size_t errlen)
{
        if (h->width < 1 || h->width > TDC_WIDTH_MAX || h->height < 1 || h->height > TDC_HEIGHT_MAX) {
                snprintf(err, errlen, "surface %ux%u is not within 1x1..%ux%u", h->width, h->height,
                         TDC_WIDTH_MAX, TDC_HEIGHT_MAX);
                return -EINVAL;
        }
        if (h->stride % 4 != 0 || h->stride < h->width * 4u) {
                snprintf(err, errlen, "stride %u does not hold %u pixels in whole words",
                         h->stride, h->width);
                return -EINVAL;
        }
        if (h->format != TDC_FORMAT_XRGB8888) {
                snprintf(err, errlen, "pixel format %u is unknown", h->format);
                return -EINVAL;
        }
        if (h->buffer_count < TDC_BUFFERS_MIN || h->buffer_count > TDC_BUFFERS_MAX) {
                snprintf(err, errlen, "%u buffers (needs %u..%u)", h->buffer_count,
                         TDC_BUFFERS_MIN, TDC_BUFFERS_MAX);
                return -EINVAL;
        }
        return 0;
}

static int check_identity(const struct tdc_header *h, size_t size, char *err, size_t errlen)
{
        if (h->magic != TDC_MAGIC) {
                snprintf(err, errlen, "no channel magic");
                return -EINVAL;
        }
        if (h->version != TDC_VERSION || h->header_size != TDC_HEADER_SIZE) {
                snprintf(err, errlen, "version %u with a %u-byte header (needs %u, %u)",
                         h->version, h->header_size, TDC_VERSION, TDC_HEADER_SIZE);
                return -EINVAL;
        }
        if (h->total_size < TDC_HEADER_SIZE || h->total_size > size) {
                snprintf(err, errlen, "total size %llu is not within %u..%zu",
                         (unsigned long long)h->total_size, TDC_HEADER_SIZE, size);
                return -EINVAL;
        }
        return 0;
}

static int check_header(const volatile void *map, size_t size, struct comp_channel_info *ret,
                        char *err, size_t errlen)
{
        struct tdc_header h;
        struct comp_channel_info info = { .title = "" };
        int r;

        if (size < TDC_HEADER_SIZE) {
                snprintf(err, errlen, "%zu bytes is smaller than a channel header", size);
                return -EINVAL;
        }
        snapshot(&h, map, offsetof(struct tdc_header, heartbeat));
        r = check_identity(&h, size, err, errlen);
        if (r == 0)
                r = check_surface(&h, err, errlen);
        /* Buffers must fit what the client claims and what is mapped. */
        if (r == 0)
                r = check_buffers(&h, (size_t)h.total_size, &info, err, errlen);
        if (r < 0)
                return r;
        clean_title(h.title, info.title);
        info.width = h.width;
        info.height = h.height;
        info.stride = h.stride;
        info.buffer_count = h.buffer_count;
        *ret = info;
        return 0;
}

static int vanished(char *err, size_t errlen)
{
        snprintf(err, errlen, "%s", COMP_CHANNEL_LOST);
        return -EFAULT;
}

int comp_channel_check(const volatile void *map, size_t size, struct comp_channel_info *ret,
                       char *err, size_t errlen)
{
        struct comp_guard g;
        int r;

        comp_guard_push(&g, map, size);
        if (sigsetjmp(g.jump, 0))
                return vanished(err, errlen);
        r = check_header(map, size, ret, err, errlen);
        comp_guard_pop(&g);
        return r;
}

/* The header's part of opening: everything read from the mapping. */
static int open_header(struct comp_channel *n, char *err, size_t errlen)
{
        int r = check_header(n->header, n->size, &n->info, err, errlen);

        if (r == 0)
                n->heartbeat = load(&n->header->heartbeat);
        return r;
}

int comp_channel_open(struct comp_channel *c, volatile void *map, size_t size, uint64_t now_ms,
                      char *err, size_t errlen)
{
        struct comp_channel n = { .header = map, .size = size, .heartbeat_ms = now_ms };
        struct comp_guard g;
        int r;

        comp_guard_push(&g, map, size);
        if (sigsetjmp(g.jump, 0))
                return vanished(err, errlen);
        r = open_header(&n, err, errlen);
        comp_guard_pop(&g);
        if (r < 0)
                return r;
        n.surface = calloc((size_t)n.info.width * n.info.height, 4);
        if (!n.surface) {
                snprintf(err, errlen, "no memory for a %ux%u surface", n.info.width, n.info.height);
                return -ENOMEM;
        }
        *c = n;
        return 0;
}

void comp_channel_close(struct comp_channel *c)
{
        free(c->surface);
        c->surface = NULL;
}

/* Runs fn(c, arg) with c's mapping guarded. Returns what fn returns, or
 * failed when c is lost (now, by a fault inside fn, or before). */
static int guarded(struct comp_channel *c, int (*fn)(struct comp_channel *, void *), void *arg,
                   int failed)
{
        struct comp_guard g;
        int r;

        if (c->lost)
                return failed;
        comp_guard_push(&g, c->header, c->size);
        if (sigsetjmp(g.jump, 0)) {
                c->lost = true;
                return failed;
        }
        r = fn(c, arg);
        comp_guard_pop(&g);
        return r;
}

static int same_header(struct comp_channel *c, void *unused)
{
        struct comp_channel_info now;
        char err[8];

        (void)unused;
        return check_header(c->header, c->size, &now, err, sizeof(err)) == 0 &&
               memcmp(&now, &c->info, sizeof(now)) == 0;
}

bool comp_channel_same(struct comp_channel *c)
{
        return guarded(c, same_header, NULL, false);
}

static int note_heartbeat(struct comp_channel *c, void *now_ms)
{
        uint64_t beat = load(&c->header->heartbeat);

        if (beat != c->heartbeat) {
                c->heartbeat = beat;
                c->heartbeat_ms = *(const uint64_t *)now_ms;
                c->heartbeat_moved = true;
        }
        return 0;
}

bool comp_channel_alive(struct comp_channel *c, uint64_t now_ms)
{
        return guarded(c, note_heartbeat, &now_ms, -EFAULT) == 0 &&
               now_ms - c->heartbeat_ms < TDC_STALE_MS;
}

static void copy_rect(struct comp_channel *c, const volatile uint8_t *src, struct comp_rect r)
{
        for (int32_t y = r.y; y < r.y + r.h; y++) {
                const volatile uint8_t *row = src + (size_t)y * c->info.stride + (size_t)r.x * 4;
                uint32_t *dst = c->surface + (size_t)y * c->info.width + r.x;

                /* The client may scribble meanwhile: we only get torn pixels
                 * of its own surface, and memcpy on the mapping is fine. */
                memcpy(dst, (const void *)row, (size_t)r.w * 4);
        }
}

/* The frame's damage, checked: a count past TDC_DAMAGE_MAX or a rectangle
 * outside the surface means the whole surface. */
static void frame_damage(const struct comp_channel *c, const struct tdc_buffer *b, bool full,
                         struct comp_damage *ret)
{
        struct comp_rect surface = { 0, 0, (int32_t)c->info.width, (int32_t)c->info.height };

        comp_damage_init(ret, surface);
        if (full || b->damage_count > TDC_DAMAGE_MAX) {
                comp_damage_all(ret);
                return;
        }
        for (uint32_t i = 0; i < b->damage_count; i++) {
                const struct tdc_rect *d = &b->damage[i];
                if (d->x >= c->info.width || d->y >= c->info.height || d->w == 0 || d->h == 0 ||
                    d->w > c->info.width - d->x || d->h > c->info.height - d->y) {
                        comp_damage_all(ret);
                        return;
                }
                comp_damage_add(ret, (struct comp_rect) { (int32_t)d->x, (int32_t)d->y,
                                                          (int32_t)d->w, (int32_t)d->h });
        }
}

static int read_frame(struct comp_channel *c, void *damage)
{
        volatile struct tdc_header *h = c->header;
        uint64_t p = load(&h->published), seq = p / 4;
        unsigned index = (unsigned)(p % 4);
        struct tdc_buffer b;
        struct comp_damage fd;

        if (p == 0 || seq == c->last_seq || index >= c->info.buffer_count)
                return 0;
        store(&h->reading, index + 1);
        /* Published again meanwhile: the client may be reusing the buffer. */
        if (load(&h->published) != p) {
                store(&h->reading, 0);
                return 0;
        }
        snapshot(&b, &h->buffers[index], sizeof(b));
        if (b.seq != seq) {
                store(&h->reading, 0);
                return 0;
        }
        frame_damage(c, &b, c->last_seq == 0 || seq != c->last_seq + 1, &fd);
        for (unsigned i = 0; i < fd.n; i++)
                copy_rect(c, (const volatile uint8_t *)h + c->info.offsets[index], fd.rects[i]);
        store(&h->reading, 0);
        store(&h->shown, seq);
        ring(c);
        c->last_seq = seq;
        for (unsigned i = 0; i < fd.n; i++)
                comp_damage_add(damage, fd.rects[i]);
        return 1;
}

int comp_channel_read(struct comp_channel *c, struct comp_damage *damage)
{
        return guarded(c, read_frame, damage, -EFAULT);
}

static int append_input(struct comp_channel *c, void *event)
{
        const struct tdc_input_event *e = event;
        volatile struct tdc_header *h = c->header;
        uint64_t head = load(&h->input_head), tail = load(&h->input_tail);

        /* A tail the client set ahead of head is nonsense: treat as full. */
        if (head - tail >= TDC_INPUT_RING) {
                store(&h->input_dropped, load(&h->input_dropped) + 1);
                return 0;
        }
        snapshot((void *)&h->input[head % TDC_INPUT_RING], e, sizeof(*e));
        store(&h->input_head, head + 1);
        ring(c);
        return 0;
}

void comp_channel_input(struct comp_channel *c, const struct tdc_input_event *e)
{
        (void)guarded(c, append_input, (void *)e, 0);
}
