/* thatte/display-channel.h: the layout of a display channel, the memory one
 * client domain shares with the compositor in DriverOS (docs/display-channel.md).
 *
 * One producer (the client), one consumer (the compositor), no interrupts:
 * both sides poll. The channel starts with this header (one 4 KiB page);
 * the client's pixel buffers follow at offsets it names. Everything is
 * little-endian, at natural alignment, fixed size; every field is written
 * by one side only (marked client: / compositor:). The reading side trusts
 * nothing: the other side is another VM.
 *
 * Publishing a frame (client):
 *   1. pick a buffer b that is neither the buffer of the newest published
 *      frame (published % 4) nor the one the compositor reads (reading - 1);
 *   2. draw into it; fill buffers[b].damage (relative to the previous
 *      frame, seq - 1) and buffers[b].seq = seq;
 *   3. store published = seq * 4 + b with release ordering (one 64-bit store).
 * Reading it (compositor): load published (acquire) as P; store
 * reading = P % 4 + 1; load published again: if it changed, start over;
 * copy the damaged rectangles (the whole surface when a frame was skipped,
 * seq != last seen + 1); store reading = 0 and shown = seq.
 * Liveness: the client increments heartbeat at least every
 * TDC_HEARTBEAT_MS; a channel whose heartbeat stands still for
 * TDC_STALE_MS is stale and its window goes.
 * Freestanding: needs only <stdint.h> (and the compiler's builtins). */
#ifndef THATTE_DISPLAY_CHANNEL_H
#define THATTE_DISPLAY_CHANNEL_H

#include <stdint.h>

#define TDC_MAGIC 0x004c4e4843544854ull /* "THTCHNL\0", little-endian */
#define TDC_VERSION 1u
#define TDC_HEADER_SIZE 4096u           /* pixel buffers start at or after this */
#define TDC_TITLE_MAX 48u               /* bytes of UTF-8, NUL-padded */
#define TDC_BUFFERS_MIN 2u
#define TDC_BUFFERS_MAX 3u
#define TDC_DAMAGE_MAX 16u              /* more rectangles: the bounding box */
#define TDC_DAMAGE_ALL 0xffffffffu      /* damage_count: the whole surface */
#define TDC_INPUT_RING 64u              /* events; a power of two */
#define TDC_WIDTH_MAX 4096u
#define TDC_HEIGHT_MAX 4096u
#define TDC_HEARTBEAT_MS 250u
#define TDC_STALE_MS 1500u

/* Pixel formats (v1: 32 bits per pixel, in memory order of a
 * little-endian 32-bit word). */
enum tdc_format {
        TDC_FORMAT_XRGB8888 = 1,        /* word = 0xXXRRGGBB (DRM_FORMAT_XRGB8888) */
};

struct tdc_rect {
        uint32_t x, y, w, h;            /* surface pixels; must lie inside the surface */
};

struct tdc_buffer {
        uint64_t offset;                /* client: bytes from the channel's start, 4 KiB
                                         * aligned, >= TDC_HEADER_SIZE; stride * height
                                         * bytes must fit in the channel */
        uint64_t seq;                   /* client: frame drawn here (0: none yet) */
        uint32_t damage_count;          /* client: rectangles in damage[], or TDC_DAMAGE_ALL */
        uint32_t pad;
        struct tdc_rect damage[TDC_DAMAGE_MAX];
};

/* Input events (compositor -> client), in window coordinates. */
enum tdc_input_type {
        TDC_INPUT_KEY = 1,              /* code: Linux KEY_*; value 1 down, 0 up, 2 repeat */
        TDC_INPUT_BUTTON,               /* code: Linux BTN_*; value 1 down, 0 up; x, y */
        TDC_INPUT_MOTION,               /* x, y: the pointer inside the window */
        TDC_INPUT_FOCUS,                /* value 1: the window got the focus, 0: lost it */
};

struct tdc_input_event {
        uint32_t type;                  /* enum tdc_input_type */
        uint32_t code;
        int32_t x, y;
        int32_t value;
        uint32_t pad;
        uint64_t time_ns;               /* compositor's CLOCK_MONOTONIC */
};

struct tdc_header {
        /* client: written once before the magic, then constant */
        uint64_t magic;                 /* TDC_MAGIC, written last of these */
        uint32_t version;               /* TDC_VERSION */
        uint32_t header_size;           /* TDC_HEADER_SIZE */
        uint64_t total_size;            /* bytes of the channel (<= the shared region) */
        char title[TDC_TITLE_MAX];      /* names the client in the window's title bar */
        uint32_t width, height;         /* surface, 1..TDC_WIDTH_MAX x 1..TDC_HEIGHT_MAX */
        uint32_t stride;                /* bytes per row, >= width * 4, multiple of 4 */
        uint32_t format;                /* enum tdc_format */
        uint32_t buffer_count;          /* TDC_BUFFERS_MIN..TDC_BUFFERS_MAX */
        uint32_t pad0;
        struct tdc_buffer buffers[TDC_BUFFERS_MAX];

        /* client: changing */
        uint64_t heartbeat;             /* incremented every TDC_HEARTBEAT_MS or faster */
        uint64_t published;             /* newest frame: seq * 4 + buffer index; 0: none */
        uint64_t input_tail;            /* events consumed */

        /* compositor */
        uint64_t reading;               /* buffer index + 1 being copied now, 0: none */
        uint64_t shown;                 /* seq of the newest frame on the screen */
        uint64_t input_head;            /* events produced */
        uint64_t input_dropped;         /* events lost because the ring was full */
        struct tdc_input_event input[TDC_INPUT_RING];
};

_Static_assert(sizeof(struct tdc_header) <= TDC_HEADER_SIZE, "header fits its page");

/* Bytes of one pixel buffer of a w x h surface at stride w * 4, rounded up
 * to whole pages (buffer offsets are page-aligned). */
static inline uint64_t tdc_buffer_bytes(uint32_t w, uint32_t h)
{
        return ((uint64_t)w * 4 * h + 4095u) & ~(uint64_t)4095u;
}

/* The client's header for a w x h XRGB8888 surface (stride w * 4) with
 * `count` buffers packed right after the header page: the magic is cleared
 * first (a reader drops the channel meanwhile), then the rest of the page,
 * then the constant fields are written. The magic stays 0: the caller
 * stores TDC_MAGIC once it is ready. The title is copied up to
 * TDC_TITLE_MAX bytes. No libc: the freestanding root task uses it too. */
static inline void tdc_header_init(struct tdc_header *header, uint64_t total_size,
                                   const char *title, uint32_t w, uint32_t h, uint32_t count)
{
        __atomic_store_n(&header->magic, 0, __ATOMIC_SEQ_CST);
        __builtin_memset((char *)header + sizeof(header->magic), 0,
                         TDC_HEADER_SIZE - sizeof(header->magic));
        header->version = TDC_VERSION;
        header->header_size = TDC_HEADER_SIZE;
        header->total_size = total_size;
        for (uint32_t i = 0; i < TDC_TITLE_MAX && title[i]; i++)
                header->title[i] = title[i];
        header->width = w;
        header->height = h;
        header->stride = w * 4;
        header->format = TDC_FORMAT_XRGB8888;
        header->buffer_count = count;
        for (uint32_t b = 0; b < count && b < TDC_BUFFERS_MAX; b++)
                header->buffers[b].offset = TDC_HEADER_SIZE + b * tdc_buffer_bytes(w, h);
}

#endif
