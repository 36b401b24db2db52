/* compositor/client/publish.c: see publish.h. The client writes only its
 * own fields; the compositor's (reading, shown, input_head) are loaded
 * atomically and never trusted to index anything unchecked. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "compositor/client/publish.h"

int tdcc_layout(uint64_t size, uint32_t w, uint32_t h)
{
        uint64_t b;

        if (w == 0 || h == 0 || w > TDC_WIDTH_MAX || h > TDC_HEIGHT_MAX)
                return -EINVAL;
        b = tdc_buffer_bytes(w, h);
        for (uint32_t n = TDC_BUFFERS_MAX; n >= TDC_BUFFERS_MIN; n--)
                if (size >= TDC_HEADER_SIZE && (size - TDC_HEADER_SIZE) / b >= n)
                        return (int)n;
        return -ENOSPC;
}

int tdcc_init(struct tdcc_channel *ch, void *mem, uint64_t size, const char *title,
              uint32_t w, uint32_t h)
{
        struct tdc_header *hdr = mem;
        int n = tdcc_layout(size, w, h);

        if (n < 0)
                return n;
        if (strlen(title) >= TDC_TITLE_MAX)
                return -EINVAL;
        tdc_header_init(hdr, size, title, w, h, (uint32_t)n);
        memset(ch, 0, sizeof(*ch));
        ch->hdr = hdr;
        ch->size = size;
        ch->width = w;
        ch->height = h;
        ch->stride = w * 4;
        ch->count = (uint32_t)n;
        __atomic_store_n(&hdr->magic, TDC_MAGIC, __ATOMIC_SEQ_CST);
        return 0;
}

int tdcc_pick(uint64_t published, uint64_t reading, uint32_t count)
{
        for (uint32_t b = 0; b < count && b < TDC_BUFFERS_MAX; b++) {
                if (published != 0 && b == published % 4)
                        continue;
                if (reading != 0 && b == reading - 1)
                        continue;
                return (int)b;
        }
        return -EAGAIN;
}

static int clip(struct tdc_rect *r, uint32_t w, uint32_t h)
{
        if (r->x >= w || r->y >= h || r->w == 0 || r->h == 0)
                return -1;
        if (r->w > w - r->x)
                r->w = w - r->x;
        if (r->h > h - r->y)
                r->h = h - r->y;
        return 0;
}

static struct tdc_rect unite(struct tdc_rect a, struct tdc_rect b)
{
        uint32_t x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
        uint32_t x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
        uint32_t y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;

        return (struct tdc_rect){ x0, y0, x1 - x0, y1 - y0 };
}

void tdcc_damage_add(struct tdcc_damage *d, struct tdc_rect r, uint32_t w, uint32_t h)
{
        if (d->count == TDC_DAMAGE_ALL || clip(&r, w, h) < 0)
                return;
        if (d->count < TDC_DAMAGE_MAX) {
                d->rect[d->count++] = r;
                return;
        }
        for (uint32_t i = 1; i < d->count; i++)
                d->rect[0] = unite(d->rect[0], d->rect[i]);
        d->rect[0] = unite(d->rect[0], r);
        d->count = 1;
}

static struct tdc_rect whole(const struct tdcc_channel *ch)
{
        return (struct tdc_rect){ 0, 0, ch->width, ch->height };
}

static struct tdc_rect bounding(const struct tdcc_channel *ch, const struct tdcc_damage *d)
{
        struct tdc_rect box = { 0, 0, 0, 0 };

        if (d->count == TDC_DAMAGE_ALL)
                return whole(ch);
        for (uint32_t i = 0; i < d->count && i < TDC_DAMAGE_MAX; i++)
                box = box.w ? unite(box, d->rect[i]) : d->rect[i];
        return box;
}

static void copy_rect(const struct tdcc_channel *ch, uint32_t *dst, const uint32_t *src,
                      uint32_t spitch, struct tdc_rect r)
{
        uint32_t dpitch = ch->stride / 4;

        if (clip(&r, ch->width, ch->height) < 0)
                return;
        for (uint32_t y = r.y; y < r.y + r.h; y++)
                memcpy(dst + (size_t)y * dpitch + r.x, src + (size_t)y * spitch + r.x,
                       (size_t)r.w * 4);
}

/* Bring buffer b from the frame it holds to the surface as of frame seq:
 * the boxes of the frames in between, or all when they are forgotten. */
static void refresh(struct tdcc_channel *ch, uint32_t b, const uint32_t *surface,
                    uint32_t spitch, uint64_t seq, struct tdc_rect now)
{
        uint32_t *dst = (uint32_t *)((char *)ch->hdr + ch->hdr->buffers[b].offset);
        uint64_t from = ch->held[b];

        if (from == 0 || seq - from > TDCC_HISTORY) {
                copy_rect(ch, dst, surface, spitch, whole(ch));
                return;
        }
        for (uint64_t s = from + 1; s < seq; s++)
                copy_rect(ch, dst, surface, spitch, ch->box[s % TDCC_HISTORY]);
        copy_rect(ch, dst, surface, spitch, now);
}

int64_t tdcc_publish(struct tdcc_channel *ch, const uint32_t *surface, uint32_t spitch,
                     const struct tdcc_damage *d)
{
        struct tdc_header *hdr = ch->hdr;
        uint64_t published = __atomic_load_n(&hdr->published, __ATOMIC_SEQ_CST);
        uint64_t reading = __atomic_load_n(&hdr->reading, __ATOMIC_SEQ_CST);
        uint64_t seq = ch->seq + 1;
        struct tdc_buffer *buf;
        struct tdc_rect box;
        int b = tdcc_pick(published, reading, ch->count);

        if (b < 0)
                return b;
        box = seq == 1 ? whole(ch) : bounding(ch, d);
        refresh(ch, (uint32_t)b, surface, spitch, seq, box);
        buf = &hdr->buffers[b];
        if (seq == 1 || d->count == TDC_DAMAGE_ALL) {
                buf->damage_count = TDC_DAMAGE_ALL;
        } else {
                buf->damage_count = d->count < TDC_DAMAGE_MAX ? d->count : TDC_DAMAGE_MAX;
                memcpy(buf->damage, d->rect, buf->damage_count * sizeof(d->rect[0]));
        }
        buf->seq = seq;
        ch->held[b] = seq;
        ch->box[seq % TDCC_HISTORY] = box;
        ch->seq = seq;
        __atomic_store_n(&hdr->published, seq * 4 + (uint64_t)b, __ATOMIC_SEQ_CST);
        return (int64_t)seq;
}

void tdcc_heartbeat(struct tdcc_channel *ch)
{
        __atomic_store_n(&ch->hdr->heartbeat, ch->hdr->heartbeat + 1, __ATOMIC_RELEASE);
}

uint64_t tdcc_shown(const struct tdcc_channel *ch)
{
        return __atomic_load_n(&ch->hdr->shown, __ATOMIC_ACQUIRE);
}

int tdcc_input(struct tdcc_channel *ch, struct tdc_input_event *ev)
{
        uint64_t head = __atomic_load_n(&ch->hdr->input_head, __ATOMIC_ACQUIRE);

        if (head == ch->input_tail)
                return 0;
        /* a head behind us or more than a ring ahead is not a compositor
         * that keeps the protocol: skip to it rather than read stale slots */
        if (head - ch->input_tail > TDC_INPUT_RING) {
                ch->input_tail = head;
                __atomic_store_n(&ch->hdr->input_tail, head, __ATOMIC_RELEASE);
                return 0;
        }
        memcpy(ev, &ch->hdr->input[ch->input_tail % TDC_INPUT_RING], sizeof(*ev));
        ch->input_tail++;
        __atomic_store_n(&ch->hdr->input_tail, ch->input_tail, __ATOMIC_RELEASE);
        return 1;
}

void tdcc_close(struct tdcc_channel *ch)
{
        __atomic_store_n(&ch->hdr->magic, 0, __ATOMIC_SEQ_CST);
}
