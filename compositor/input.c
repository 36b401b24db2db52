/* compositor/input.c: evdev devices, read with read(2). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "compositor/input.h"

#define EVENTS_PER_READ 64

void comp_input_init(struct comp_input *in, uint32_t width, uint32_t height)
{
        memset(in, 0, sizeof(*in));
        in->width = width;
        in->height = height;
        in->x = (int32_t)width / 2;
        in->y = (int32_t)height / 2;
}

static bool is_open(const struct comp_input *in, const char *path)
{
        for (unsigned i = 0; i < in->n; i++)
                if (strcmp(in->devices[i].path, path) == 0)
                        return true;
        return false;
}

static void read_axes(struct comp_input_device *dev)
{
        for (int a = 0; a < 2; a++) {
                struct input_absinfo info;
                if (ioctl(dev->fd, EVIOCGABS(a == 0 ? ABS_X : ABS_Y), &info) == 0) {
                        dev->abs_min[a] = info.minimum;
                        dev->abs_max[a] = info.maximum;
                }
        }
}

int comp_input_scan(struct comp_input *in, const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        int added = 0;

        if (!d)
                return 0;
        while ((e = readdir(d)) && in->n < COMP_INPUT_DEVICES_MAX) {
                struct comp_input_device *dev = &in->devices[in->n];

                if (strncmp(e->d_name, "event", 5) != 0)
                        continue;
                snprintf(dev->path, sizeof(dev->path), "%s/%.40s", dir, e->d_name);
                if (is_open(in, dev->path))
                        continue;
                dev->fd = open(dev->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
                if (dev->fd < 0)
                        continue;
                dev->abs_min[0] = dev->abs_min[1] = dev->abs_max[0] = dev->abs_max[1] = 0;
                read_axes(dev);
                in->n++;
                added++;
        }
        closedir(d);
        return added;
}

unsigned comp_input_pollfds(const struct comp_input *in, struct pollfd *p, unsigned max)
{
        unsigned n = 0;

        for (unsigned i = 0; i < in->n && n < max; i++)
                p[n++] = (struct pollfd) { .fd = in->devices[i].fd, .events = POLLIN };
        return n;
}

static int32_t clamp(int64_t v, int32_t max)
{
        return v < 0 ? 0 : v > max ? max : (int32_t)v;
}

static int32_t scale(const struct comp_input_device *dev, int axis, int32_t v, uint32_t side)
{
        int64_t range = (int64_t)dev->abs_max[axis] - dev->abs_min[axis];

        if (range <= 0)
                return clamp(v, (int32_t)side - 1);
        return clamp(((int64_t)v - dev->abs_min[axis]) * ((int64_t)side - 1) / range,
                     (int32_t)side - 1);
}

void comp_input_feed(struct comp_input *in, unsigned i, uint16_t type, uint16_t code,
                     int32_t value, void (*emit)(void *ctx, const struct comp_input_event *e),
                     void *ctx)
{
        const struct comp_input_device *dev = &in->devices[i];
        struct comp_input_event e = { .code = code, .value = value };
        int32_t w1 = (int32_t)in->width - 1, h1 = (int32_t)in->height - 1;

        if (type == EV_ABS && (code == ABS_X || code == ABS_Y)) {
                if (code == ABS_X)
                        in->x = scale(dev, 0, value, in->width);
                else
                        in->y = scale(dev, 1, value, in->height);
                in->moved = true;
        } else if (type == EV_REL && (code == REL_X || code == REL_Y)) {
                if (code == REL_X)
                        in->x = clamp((int64_t)in->x + value, w1);
                else
                        in->y = clamp((int64_t)in->y + value, h1);
                in->moved = true;
        } else if (type == EV_SYN && code == SYN_REPORT && in->moved) {
                in->moved = false;
                e.kind = COMP_INPUT_MOTION;
                e.x = in->x;
                e.y = in->y;
                emit(ctx, &e);
        } else if (type == EV_KEY) {
                bool button = code >= BTN_MISC && code < KEY_OK;
                e.kind = button ? COMP_INPUT_BUTTON : COMP_INPUT_KEY;
                e.x = in->x;
                e.y = in->y;
                emit(ctx, &e);
        }
}

static void drop(struct comp_input *in, unsigned i)
{
        close(in->devices[i].fd);
        memmove(&in->devices[i], &in->devices[i + 1], (in->n - i - 1) * sizeof(in->devices[0]));
        in->n--;
}

void comp_input_read(struct comp_input *in, unsigned i,
                     void (*emit)(void *ctx, const struct comp_input_event *e), void *ctx)
{
        struct input_event ev[EVENTS_PER_READ];
        ssize_t n = read(in->devices[i].fd, ev, sizeof(ev));

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (n <= 0) {
                drop(in, i);    /* unplugged (ENODEV) or broken */
                return;
        }
        for (size_t k = 0; k < (size_t)n / sizeof(ev[0]); k++)
                comp_input_feed(in, i, ev[k].type, ev[k].code, ev[k].value, emit, ctx);
}

void comp_input_close(struct comp_input *in)
{
        while (in->n > 0)
                drop(in, in->n - 1);
}
