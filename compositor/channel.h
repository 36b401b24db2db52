/* compositor/channel.h: the compositor's side of a display channel
 * (include/thatte/display-channel.h, docs/display-channel.md).
 *
 * The channel is memory another VM writes at any time: every value is read
 * once into a local snapshot, checked there, and only the snapshot is used.
 * Pixels are copied out of the channel into a private surface, so nothing
 * the client does later can reach outside its channel or change what the
 * compositor has already checked.
 *
 * A channel's memory can also vanish (its file on the host truncated):
 * every function below survives that (compositor/guard.h). Those taking a
 * map return -EFAULT then; those taking an open channel set its `lost`, do
 * nothing more, and the caller drops the channel. */
#ifndef THATTE_COMP_CHANNEL_H
#define THATTE_COMP_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compositor/damage.h"
#include "thatte/display-channel.h"

/* Why a channel whose memory faulted was dropped. */
#define COMP_CHANNEL_LOST "its memory faulted (its file shrank)"

/* The constant part of a header, checked. */
struct comp_channel_info {
        char title[TDC_TITLE_MAX + 1];  /* printable ASCII; others become '?' */
        uint32_t width, height, stride, buffer_count;
        uint64_t offsets[TDC_BUFFERS_MAX];
};

struct comp_channel {
        volatile struct tdc_header *header;     /* the mapping's start */
        size_t size;                    /* bytes really mapped */
        struct comp_channel_info info;
        uint32_t *surface;              /* width x height, packed: the newest frame */
        uint64_t last_seq;              /* newest frame copied; 0: none */
        uint64_t heartbeat;             /* last value seen ... */
        uint64_t heartbeat_ms;          /* ... and when it changed */
        bool heartbeat_moved;           /* since comp_channel_open */
        bool lost;                      /* its memory faulted (a host file shrank
                                         * under us): nothing reads it again */
        /* The ivshmem function's Doorbell register (BAR0 + 12), or NULL:
         * written after a frame is shown and after input is queued, so a
         * client that sleeps until rung (the root task under thatte-mk,
         * docs/display-channel.md) hears it at once. */
        volatile uint32_t *bell;
};

/* comp_channel_check: takes a mapping of `size` bytes; checks a snapshot of
 * the header (magic, version, sizes, surface, format, buffers inside the
 * mapping) and fills *ret. Returns 0, or -EINVAL or -EFAULT (the mapping
 * faulted) with a reason in err. */
int comp_channel_check(const volatile void *map, size_t size, struct comp_channel_info *ret,
                       char *err, size_t errlen);

/* comp_channel_open: checks the header, allocates the private surface.
 * now_ms starts the heartbeat clock. Returns 0, -EINVAL or -EFAULT (reason
 * in err) or -ENOMEM. */
int comp_channel_open(struct comp_channel *c, volatile void *map, size_t size, uint64_t now_ms,
                      char *err, size_t errlen);

/* comp_channel_close: frees the surface (not the mapping). */
void comp_channel_close(struct comp_channel *c);

/* comp_channel_same: whether the header still says what c was opened with
 * (a client that changes its surface must be reopened); false once lost. */
bool comp_channel_same(struct comp_channel *c);

/* comp_channel_read: takes the newest published frame, if it is new,
 * following the header's read protocol; adds what changed (surface
 * coordinates) to damage. Returns 1 when a frame was taken, 0 when there is
 * none (or the client raced or published nonsense: nothing is copied),
 * -EFAULT once lost (the surface may hold part of a frame). */
int comp_channel_read(struct comp_channel *c, struct comp_damage *damage);

/* comp_channel_alive: notes the heartbeat; false once it has stood still
 * for TDC_STALE_MS, or once lost. */
bool comp_channel_alive(struct comp_channel *c, uint64_t now_ms);

/* comp_channel_input: appends an event to the client's input ring; counts
 * it in input_dropped when the ring is full. */
void comp_channel_input(struct comp_channel *c, const struct tdc_input_event *e);

#endif
