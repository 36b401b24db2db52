/* compositor/client/publish.h: the producer side of a display channel
 * (include/thatte/display-channel.h): the layout of the buffers, the
 * header, which buffer a frame may be drawn into, its damage, the
 * heartbeat and the input ring. Pure memory work on a mapping the caller
 * made (a file, or an ivshmem BAR), so the host tests drive it on a
 * malloc'ed channel. */
#ifndef THATTE_CLIENT_PUBLISH_H
#define THATTE_CLIENT_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "thatte/display-channel.h"

#define TDCC_HISTORY 8u         /* frames whose damage is remembered */

/* The damage of one frame: up to TDC_DAMAGE_MAX rectangles, or all. */
struct tdcc_damage {
        uint32_t count;         /* or TDC_DAMAGE_ALL */
        struct tdc_rect rect[TDC_DAMAGE_MAX];
};

struct tdcc_channel {
        struct tdc_header *hdr;         /* the channel's start */
        uint64_t size;                  /* bytes mapped */
        uint32_t width, height, stride, count;
        uint64_t seq;                   /* last frame published, 0: none */
        uint64_t held[TDC_BUFFERS_MAX]; /* frame each buffer holds, 0: none */
        struct tdc_rect box[TDCC_HISTORY]; /* bounding box of frame s's damage at s % N */
        uint64_t input_tail;
};

/* tdcc_layout: how many buffers (3, else 2) of w x h fit in size bytes.
 * Returns the count, or -ENOSPC / -EINVAL. */
int tdcc_layout(uint64_t size, uint32_t w, uint32_t h);

/* tdcc_init: write a fresh header into mem (size bytes): the magic is
 * cleared first and written last, after frame 0's fields. Returns 0,
 * -EINVAL (title too long, bad size) or -ENOSPC (the surface does not fit). */
int tdcc_init(struct tdcc_channel *ch, void *mem, uint64_t size, const char *title,
              uint32_t w, uint32_t h);

/* tdcc_pick: a buffer index that is neither the published frame's
 * (published % 4, when published != 0) nor the one being read
 * (reading - 1, when reading != 0); -EAGAIN when every buffer is taken. */
int tdcc_pick(uint64_t published, uint64_t reading, uint32_t count);

/* tdcc_damage_add: rect r (clipped to w x h; empty ones ignored) joins d;
 * past TDC_DAMAGE_MAX rectangles d collapses to their bounding box. */
void tdcc_damage_add(struct tdcc_damage *d, struct tdc_rect r, uint32_t w, uint32_t h);

/* tdcc_publish: frame seq + 1 from surface (width x height pixels, row
 * pitch spitch pixels): picks a buffer, brings it up to date (the damage
 * of every frame since the one it holds, or everything), records d in it
 * and publishes it. The first frame is always whole. Returns the new seq,
 * or -EAGAIN when no buffer is free (try again later). */
int64_t tdcc_publish(struct tdcc_channel *ch, const uint32_t *surface, uint32_t spitch,
                     const struct tdcc_damage *d);

/* tdcc_heartbeat: one more beat. */
void tdcc_heartbeat(struct tdcc_channel *ch);

/* tdcc_shown: the compositor's newest shown frame (untrusted). */
uint64_t tdcc_shown(const struct tdcc_channel *ch);

/* tdcc_input: the next input event into ev; 1 when there was one, 0 when
 * the ring is empty. A head that is not within a ring of ours is skipped to. */
int tdcc_input(struct tdcc_channel *ch, struct tdc_input_event *ev);

/* tdcc_close: clear the magic so the compositor drops the window now. */
void tdcc_close(struct tdcc_channel *ch);

#endif
