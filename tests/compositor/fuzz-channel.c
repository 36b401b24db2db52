/* tests/compositor/fuzz-channel.c: libFuzzer target for the channel reader:
 * header checks, the read protocol (damage, sequence numbers, buffer
 * indexes), heartbeats, the input ring, and memory that vanishes, on a
 * 64 KiB channel in a file (memfd). The first byte picks how the rest is
 * used: bit 0 clear, as the raw start of the channel; set, as patches
 * (2-byte offset, 8-byte value) onto a valid channel, so the deep paths are
 * reached without a seed corpus. Bit 1 set truncates the file after the
 * channel is opened, to (bits 2..7) KiB, as a hostile host process would:
 * the reader must survive (compositor/guard.h). A crash, a read outside the
 * channel (ASan) or undefined behaviour is a finding. */
#define _GNU_SOURCE 1   /* memfd_create */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compositor/channel.h"
#include "tests/compositor/channel-fixture.h"

#define SIZE 65536u
#define PATCH 10u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static struct tdc_header *map;
static bool cut_last_time;

/* The file at SIZE bytes, mapped once (fixture_init clears it). */
static struct tdc_header *whole_file(void)
{
        if (fd < 0) {
                fd = memfd_create("fuzz-channel", MFD_CLOEXEC);
                if (fd < 0 || ftruncate(fd, SIZE) < 0)
                        __builtin_trap();
                map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
                if (map == MAP_FAILED)
                        __builtin_trap();
        }
        if (cut_last_time && ftruncate(fd, SIZE) < 0)
                __builtin_trap();
        cut_last_time = false;
        return map;
}

static void patch(struct tdc_header *c, const uint8_t *data, size_t size)
{
        for (size_t i = 0; i + PATCH <= size; i += PATCH) {
                size_t at = (size_t)(data[i] | data[i + 1] << 8) % (SIZE - 8);
                memcpy((uint8_t *)c + at, data + i + 2, 8);
        }
}

/* cut: the file's size once open, or SIZE to leave it whole. */
static void exercise(struct tdc_header *c, size_t cut)
{
        struct comp_channel ch;
        struct comp_damage d;
        struct tdc_input_event e = { .type = TDC_INPUT_MOTION, .x = 1, .y = 2 };
        char err[256];

        if (comp_channel_open(&ch, c, SIZE, 0, err, sizeof(err)) < 0)
                return;
        if (cut < SIZE && ftruncate(fd, (off_t)cut) < 0)
                __builtin_trap();
        cut_last_time = cut < SIZE;
        comp_damage_init(&d, (struct comp_rect) { 0, 0, (int32_t)ch.info.width,
                                                  (int32_t)ch.info.height });
        /* Twice: the first frame is full, the second uses the damage. */
        (void)comp_channel_read(&ch, &d);
        if (cut > 0) {  /* the header's page is still there */
                c->published += 4;
                c->buffers[c->published % 4 % TDC_BUFFERS_MAX].seq = c->published / 4;
        }
        (void)comp_channel_read(&ch, &d);
        (void)comp_channel_alive(&ch, 1);
        (void)comp_channel_same(&ch);
        comp_channel_input(&ch, &e);
        /* Once lost, nothing reads the mapping again. */
        if (ch.lost && (comp_channel_read(&ch, &d) != -EFAULT || comp_channel_alive(&ch, 2)))
                __builtin_trap();
        comp_channel_close(&ch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct tdc_header *c;

        if (size < 1)
                return 0;
        c = fixture_init(whole_file(), SIZE, 32, 16, "fuzz");
        if (data[0] & 1) {
                patch(c, data + 1, size - 1);
        } else {
                memset(c, 0, TDC_HEADER_SIZE);
                memcpy(c, data + 1, size - 1 < SIZE ? size - 1 : SIZE);
        }
        exercise(c, data[0] & 2 ? (size_t)(data[0] >> 2) * 1024u : SIZE);
        return 0;
}
