/* tests/compositor/fuzz-channel.c: libFuzzer target for the channel reader:
 * header checks, the read protocol (damage, sequence numbers, buffer
 * indexes), heartbeats and the input ring, on a 64 KiB channel. The first
 * byte picks how the rest is used: even, as the raw start of the channel;
 * odd, as patches (2-byte offset, 8-byte value) onto a valid channel, so
 * the deep paths are reached without a seed corpus. A crash, a read
 * outside the channel (ASan) or undefined behaviour is a finding. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compositor/channel.h"
#include "tests/compositor/channel-fixture.h"

#define SIZE 65536u
#define PATCH 10u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void patch(struct tdc_header *c, const uint8_t *data, size_t size)
{
        for (size_t i = 0; i + PATCH <= size; i += PATCH) {
                size_t at = (size_t)(data[i] | data[i + 1] << 8) % (SIZE - 8);
                memcpy((uint8_t *)c + at, data + i + 2, 8);
        }
}

static void exercise(struct tdc_header *c)
{
        struct comp_channel ch;
        struct comp_damage d;
        struct tdc_input_event e = { .type = TDC_INPUT_MOTION, .x = 1, .y = 2 };
        char err[256];

        if (comp_channel_open(&ch, c, SIZE, 0, err, sizeof(err)) < 0)
                return;
        comp_damage_init(&d, (struct comp_rect) { 0, 0, (int32_t)ch.info.width,
                                                  (int32_t)ch.info.height });
        /* Twice: the first frame is full, the second uses the damage. */
        (void)comp_channel_read(&ch, &d);
        c->published += 4;
        c->buffers[c->published % 4 % TDC_BUFFERS_MAX].seq = c->published / 4;
        (void)comp_channel_read(&ch, &d);
        (void)comp_channel_alive(&ch, 1);
        (void)comp_channel_same(&ch);
        comp_channel_input(&ch, &e);
        comp_channel_close(&ch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct tdc_header *c;

        if (size < 1)
                return 0;
        c = fixture_channel(SIZE, 32, 16, "fuzz");
        if (data[0] & 1) {
                patch(c, data + 1, size - 1);
        } else {
                memset(c, 0, TDC_HEADER_SIZE);
                memcpy(c, data + 1, size - 1 < SIZE ? size - 1 : SIZE);
        }
        exercise(c);
        free(c);
        return 0;
}
