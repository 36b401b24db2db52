/* compositor/fbdev.c: the fbdev backend, for machines without DRM.
 *
 * Maps /dev/fb0, describes its pixels from the var screeninfo bit fields,
 * and draws row by row honouring line_length. When the virtual height
 * holds two screens and the driver pans, frames alternate between the two
 * halves; otherwise they are drawn in place. Without FBIO_WAITFORVSYNC a
 * 60 Hz timer paces the animation. The text console is switched to
 * graphics mode meanwhile so its cursor does not draw over the picture. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "compositor/blit.h"
#include "compositor/display.h"

#define FRAME_NS 16666667L

struct fbdev_display {
        struct comp_display base;
        int fd, tty_fd;
        struct fb_var_screeninfo var, saved_var;
        struct fb_fix_screeninfo fix;
        const struct comp_format *format;
        struct comp_pattern pattern;
        uint8_t *map;
        size_t map_size;
        bool can_pan, can_wait_vsync;
        unsigned front;
};

static struct comp_field field(const struct fb_bitfield *b)
{
        return (struct comp_field) { .offset = (uint8_t)b->offset, .length = (uint8_t)b->length };
}

static int arm_timer(struct fbdev_display *f)
{
        struct itimerspec t = { .it_value = { .tv_nsec = FRAME_NS } };

        return timerfd_settime(f->base.event_fd, 0, &t, NULL) < 0 ? -errno : 0;
}

static int fbdev_present(struct comp_display *base, uint64_t frame)
{
        struct fbdev_display *f = (struct fbdev_display *)base;
        unsigned back = f->can_pan ? f->front ^ 1 : 0;
        struct comp_canvas canvas = {
                .pixels = f->map + (size_t)back * f->var.yres * f->fix.line_length,
                .width = f->var.xres,
                .height = f->var.yres,
                .stride = f->fix.line_length,
                .format = f->format,
        };
        int r;

        r = comp_pattern_draw(&f->pattern, &canvas, frame);
        if (r == 0 && f->can_pan) {
                f->var.yoffset = back * f->var.yres;
                r = ioctl(f->fd, FBIOPAN_DISPLAY, &f->var) < 0 ? -errno : 0;
                f->front = back;
        }
        if (r == 0 && f->can_wait_vsync) {
                __u32 crtc = 0;
                f->can_wait_vsync = ioctl(f->fd, FBIO_WAITFORVSYNC, &crtc) == 0;
        }
        if (r == 0 && frame > 0 && !f->can_wait_vsync)
                return arm_timer(f);    /* 0: main loop waits for the tick */
        if (r < 0)
                snprintf(base->error, sizeof(base->error), "drawing on %s failed: %s",
                         base->device, strerror(-r));
        return r < 0 ? r : 1;
}

static int fbdev_dispatch(struct comp_display *base)
{
        uint64_t ticks;

        if (read(base->event_fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
                return -errno;
        return 1;
}

static int fbdev_check(struct comp_display *base)
{
        struct fbdev_display *f = (struct fbdev_display *)base;
        struct fb_var_screeninfo var;

        if (ioctl(f->fd, FBIOGET_VSCREENINFO, &var) == 0)
                return 0;
        snprintf(base->error, sizeof(base->error), "%s went away: %s; stopping", base->device,
                 strerror(errno));
        return -ENODEV;
}

/* Into the half on screen: fbdev has no damage call, the copy is it. */
static int fbdev_flush(struct comp_display *base, const struct comp_canvas *shadow,
                       const struct comp_damage *damage)
{
        struct fbdev_display *f = (struct fbdev_display *)base;
        struct comp_canvas screen = {
                .pixels = f->map + (size_t)(f->can_pan ? f->front : 0) * f->var.yres *
                                           f->fix.line_length,
                .width = f->var.xres,
                .height = f->var.yres,
                .stride = f->fix.line_length,
                .format = f->format,
        };

        for (unsigned i = 0; i < damage->n; i++)
                comp_blit(&screen, shadow, damage->rects[i]);
        return 0;
}

static void fbdev_close(struct comp_display *base)
{
        struct fbdev_display *f = (struct fbdev_display *)base;

        if (!f)
                return;
        if (f->map)
                (void)munmap(f->map, f->map_size);
        if (f->can_pan)
                (void)ioctl(f->fd, FBIOPAN_DISPLAY, &f->saved_var);
        if (f->tty_fd >= 0) {
                (void)ioctl(f->tty_fd, KDSETMODE, KD_TEXT);
                close(f->tty_fd);
        }
        if (f->base.event_fd >= 0)
                close(f->base.event_fd);
        if (f->fd >= 0)
                close(f->fd);
        free(f);
}

static const struct comp_display_ops fbdev_ops = {
        .present = fbdev_present,
        .dispatch = fbdev_dispatch,
        .check = fbdev_check,
        .flush = fbdev_flush,
        .close = fbdev_close,
};

/* Reads the screen info and checks the layout is one we can draw. */
static int describe(struct fbdev_display *f, char *err, size_t errlen)
{
        const char *dev = f->base.device;

        if (ioctl(f->fd, FBIOGET_VSCREENINFO, &f->var) < 0 ||
            ioctl(f->fd, FBIOGET_FSCREENINFO, &f->fix) < 0) {
                snprintf(err, errlen, "%s is not a framebuffer: %s", dev, strerror(errno));
                return -ENODEV;
        }
        f->saved_var = f->var;
        f->format = comp_format_from_fields(f->var.bits_per_pixel, field(&f->var.red),
                                            field(&f->var.green), field(&f->var.blue));
        if (f->fix.type != FB_TYPE_PACKED_PIXELS || !f->format ||
            (f->fix.visual != FB_VISUAL_TRUECOLOR && f->fix.visual != FB_VISUAL_DIRECTCOLOR)) {
                snprintf(err, errlen,
                         "%s has an unsupported pixel layout (%u bpp, red %u/%u green %u/%u blue %u/%u)",
                         dev, f->var.bits_per_pixel, f->var.red.offset, f->var.red.length,
                         f->var.green.offset, f->var.green.length, f->var.blue.offset,
                         f->var.blue.length);
                return -ENOTSUP;
        }
        if ((uint64_t)f->fix.line_length * f->var.yres > f->fix.smem_len ||
            (uint64_t)f->var.xres * (f->var.bits_per_pixel / 8) > f->fix.line_length) {
                snprintf(err, errlen, "%s reports a screen larger than its memory", dev);
                return -EINVAL;
        }
        return 0;
}

/* Two buffers when the virtual screen and the memory hold both and the
 * driver accepts a pan to the second half. */
static void probe_panning(struct fbdev_display *f)
{
        struct fb_var_screeninfo v = f->var;

        if (f->var.yres_virtual < 2 * f->var.yres ||
            (uint64_t)f->fix.line_length * f->var.yres * 2 > f->fix.smem_len ||
            f->fix.ypanstep == 0)
                return;
        v.xoffset = 0;
        v.yoffset = f->var.yres;
        f->can_pan = ioctl(f->fd, FBIOPAN_DISPLAY, &v) == 0;
        if (f->can_pan) {
                v.yoffset = 0;
                (void)ioctl(f->fd, FBIOPAN_DISPLAY, &v);
                f->var = v;
                f->front = 0;
        }
}

static int setup(struct fbdev_display *f, char *err, size_t errlen)
{
        int r = describe(f, err, errlen);

        if (r < 0)
                return r;
        /* Make the mode current, as a console would: on DRM's fbdev
         * emulation with no fbcon (the THATTE kernel has none) nothing else
         * sets it, and the screen stays as the firmware left it. */
        f->var.activate = FB_ACTIVATE_NOW | FB_ACTIVATE_FORCE;
        (void)ioctl(f->fd, FBIOPUT_VSCREENINFO, &f->var);
        probe_panning(f);
        f->map_size = f->fix.smem_len;
        f->map = mmap(NULL, f->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
        if (f->map == MAP_FAILED) {
                r = -errno;
                f->map = NULL;
                snprintf(err, errlen, "mapping %s failed: %s", f->base.device, strerror(-r));
                return r;
        }
        f->base.event_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (f->base.event_fd < 0) {
                r = -errno;
                snprintf(err, errlen, "creating a frame timer failed: %s", strerror(-r));
                return r;
        }
        f->can_wait_vsync = true;       /* until the driver says otherwise */
        f->tty_fd = open("/dev/tty0", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (f->tty_fd >= 0 && ioctl(f->tty_fd, KDSETMODE, KD_GRAPHICS) < 0) {
                close(f->tty_fd);
                f->tty_fd = -1;
        }
        return 0;
}

int comp_fbdev_open(const struct comp_options *o, struct comp_display **ret, char *err,
                    size_t errlen)
{
        const char *path = o->device ? o->device : "/dev/fb0";
        struct fbdev_display *f = calloc(1, sizeof(*f));
        int r;

        if (!f)
                return -ENOMEM;
        f->base = (struct comp_display) { .ops = &fbdev_ops, .kind = "fbdev", .event_fd = -1 };
        f->tty_fd = -1;
        f->pattern = o->pattern;
        snprintf(f->base.device, sizeof(f->base.device), "%s", path);
        f->fd = open(path, O_RDWR | O_CLOEXEC);
        if (f->fd < 0) {
                r = -errno;
                snprintf(err, errlen, "opening %s failed: %s", path, strerror(-r));
                free(f);
                return r;
        }
        r = setup(f, err, errlen);
        if (r < 0) {
                fbdev_close(&f->base);
                return r;
        }
        f->base.width = f->var.xres;
        f->base.height = f->var.yres;
        f->base.format_name = f->format->name;
        *ret = &f->base;
        return 0;
}
