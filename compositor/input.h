/* compositor/input.h: the keyboard and pointer of DriverOS's VM, read
 * through evdev (/dev/input/event*) with plain read(2) of struct
 * input_event, turned into screen-coordinate events for the session.
 * Absolute devices (virtio-tablet) are scaled from their axis range to the
 * screen; relative ones (mice) move a clamped pointer. */
#ifndef THATTE_COMP_INPUT_H
#define THATTE_COMP_INPUT_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#define COMP_INPUT_DEVICES_MAX 8u

enum comp_input_kind {
        COMP_INPUT_MOTION,              /* x, y: the pointer on screen */
        COMP_INPUT_BUTTON,              /* code BTN_*, value 1 down / 0 up; x, y */
        COMP_INPUT_KEY,                 /* code KEY_*, value 1 down / 0 up / 2 repeat */
};

struct comp_input_event {
        enum comp_input_kind kind;
        uint32_t code;
        int32_t value;
        int32_t x, y;
};

struct comp_input_device {
        int fd;
        char path[64];
        int32_t abs_min[2], abs_max[2]; /* ABS_X, ABS_Y ranges; max <= min: none */
};

struct comp_input {
        struct comp_input_device devices[COMP_INPUT_DEVICES_MAX];
        unsigned n;
        uint32_t width, height;         /* screen */
        int32_t x, y;                   /* pointer */
        bool moved;
};

/* comp_input_init: no devices yet; the pointer in the screen's middle. */
void comp_input_init(struct comp_input *in, uint32_t width, uint32_t height);

/* comp_input_scan: opens event devices under dir (normally /dev/input)
 * not open yet. Returns how many were added. */
int comp_input_scan(struct comp_input *in, const char *dir);

/* comp_input_pollfds: fills p with one entry per device; returns n. */
unsigned comp_input_pollfds(const struct comp_input *in, struct pollfd *p, unsigned max);

/* comp_input_read: reads what device i has and calls emit for each event
 * (motion once per SYN_REPORT). A device that fails is closed. */
void comp_input_read(struct comp_input *in, unsigned i,
                     void (*emit)(void *ctx, const struct comp_input_event *e), void *ctx);

/* comp_input_feed: one raw evdev event (type, code, value) from device i;
 * used by comp_input_read and by tests. */
void comp_input_feed(struct comp_input *in, unsigned i, uint16_t type, uint16_t code,
                     int32_t value, void (*emit)(void *ctx, const struct comp_input_event *e),
                     void *ctx);

void comp_input_close(struct comp_input *in);

#endif
