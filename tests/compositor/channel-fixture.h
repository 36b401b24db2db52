/* tests/compositor/channel-fixture.h: builds display channels in memory for
 * the compositor's tests (header-only: each test is one program). */
#ifndef THATTE_TESTS_CHANNEL_FIXTURE_H
#define THATTE_TESTS_CHANNEL_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thatte/display-channel.h"

/* A channel of `size` bytes with a valid header for a w x h surface, two
 * buffers right after the header, nothing published: written over map, or
 * in new memory. */
static inline struct tdc_header *fixture_init(void *map, size_t size, uint32_t w, uint32_t h,
                                              const char *title)
{
        struct tdc_header *c = map;

        memset(c, 0, size);
        tdc_header_init(c, size, title, w, h, 2);
        c->magic = TDC_MAGIC;
        return c;
}

static inline struct tdc_header *fixture_channel(size_t size, uint32_t w, uint32_t h,
                                                 const char *title)
{
        void *c = aligned_alloc(4096, size);

        if (!c)
                abort();
        return fixture_init(c, size, w, h, title);
}

static inline uint32_t *fixture_pixels(struct tdc_header *c, unsigned buffer)
{
        return (uint32_t *)((uint8_t *)c + c->buffers[buffer].offset);
}

/* Publishes seq from buffer b with the given damage (count may be
 * TDC_DAMAGE_ALL). */
static inline void fixture_publish(struct tdc_header *c, unsigned b, uint64_t seq,
                                   const struct tdc_rect *damage, uint32_t count)
{
        c->buffers[b].seq = seq;
        c->buffers[b].damage_count = count;
        for (uint32_t i = 0; i < count && i < TDC_DAMAGE_MAX; i++)
                c->buffers[b].damage[i] = damage[i];
        __atomic_store_n(&c->published, seq * 4 + b, __ATOMIC_RELEASE);
}

#endif
