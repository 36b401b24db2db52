/* tests/compositor/test-input.c: raw evdev events into screen events:
 * tablet scaling, mouse clamping, one motion per SYN_REPORT, buttons
 * told from keys. */
#include "config.h"

#include <linux/input.h>

#include "compositor/input.h"
#include "tests/tap.h"

static struct comp_input_event got[16];
static unsigned n_got;

static void emit(void *ctx, const struct comp_input_event *e)
{
        (void)ctx;
        if (n_got < 16)
                got[n_got++] = *e;
}

static void feed(struct comp_input *in, unsigned dev, uint16_t type, uint16_t code, int32_t v)
{
        comp_input_feed(in, dev, type, code, v, emit, NULL);
}

int main(void)
{
        struct comp_input in;

        comp_input_init(&in, 1280, 800);
        ok(in.x == 640 && in.y == 400, "the pointer starts in the middle");
        in.n = 2;
        in.devices[0] = (struct comp_input_device) { .fd = -1, .abs_max = { 32767, 32767 } };
        in.devices[1] = (struct comp_input_device) { .fd = -1 };

        feed(&in, 0, EV_ABS, ABS_X, 32767);
        feed(&in, 0, EV_ABS, ABS_Y, 0);
        is_int(n_got, 0, "no motion before SYN_REPORT");
        feed(&in, 0, EV_SYN, SYN_REPORT, 0);
        ok(n_got == 1 && got[0].kind == COMP_INPUT_MOTION && got[0].x == 1279 && got[0].y == 0,
           "a tablet's axis range is scaled to the screen (%d,%d)", got[0].x, got[0].y);
        feed(&in, 0, EV_ABS, ABS_X, 16384);
        feed(&in, 0, EV_ABS, ABS_Y, 16384);
        feed(&in, 0, EV_SYN, SYN_REPORT, 0);
        ok(got[1].x == 639 && got[1].y == 399, "the middle of the range is the middle (%d,%d)",
           got[1].x, got[1].y);
        feed(&in, 0, EV_ABS, ABS_X, 99999);
        feed(&in, 0, EV_SYN, SYN_REPORT, 0);
        is_int(got[2].x, 1279, "values past the range are clamped");
        feed(&in, 0, EV_SYN, SYN_REPORT, 0);
        is_int(n_got, 3, "no motion without a move");

        n_got = 0;
        feed(&in, 1, EV_REL, REL_X, -5000);
        feed(&in, 1, EV_REL, REL_Y, 10);
        feed(&in, 1, EV_SYN, SYN_REPORT, 0);
        ok(n_got == 1 && got[0].x == 0 && got[0].y == 409, "a mouse moves relative, clamped at 0");
        feed(&in, 1, EV_KEY, BTN_LEFT, 1);
        ok(n_got == 2 && got[1].kind == COMP_INPUT_BUTTON && got[1].code == BTN_LEFT &&
           got[1].value == 1 && got[1].x == 0 && got[1].y == 409, "BTN_LEFT is a button, at the pointer");
        feed(&in, 1, EV_KEY, KEY_A, 2);
        ok(n_got == 3 && got[2].kind == COMP_INPUT_KEY && got[2].code == KEY_A && got[2].value == 2,
           "KEY_A is a key (repeat kept)");
        feed(&in, 1, EV_MSC, MSC_SCAN, 4);
        is_int(n_got, 3, "other events are ignored");
        return tap_done();
}
