/* compositor/drm.c: the DRM/KMS backend.
 *
 * Opens a card, becomes DRM master, sets every chosen output's mode on the
 * first frame, then alternates between two dumb buffers with page flips;
 * the flip-complete events (read with drmHandleEvent) pace the animation at
 * the display's refresh rate. Closing restores the CRTCs found at start. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compositor/blit.h"
#include "compositor/drm-private.h"

#define MAX_CARDS 16
#define FLIP_DRAIN_MS 100

static const char *describe_errno(int r)
{
        return r == -ENODEV ? "the device is gone (unplugged?)" : strerror(-r);
}

static int draw(struct comp_drm_display *d, struct comp_drm_output *out, unsigned index,
                uint64_t frame)
{
        struct comp_drm_buffer *b = &out->buffers[index];
        struct comp_canvas canvas = {
                .pixels = b->map,
                .width = out->mode.hdisplay,
                .height = out->mode.vdisplay,
                .stride = b->pitch,
                .format = comp_format_by_name("XRGB8888"),
        };

        return comp_pattern_draw(&d->pattern, &canvas, frame);
}

/* First frame, or every frame when the driver cannot flip: a full modeset.
 * Virtio-gpu and other drivers with a shadow buffer need the dirty call to
 * copy the picture to the host. */
static int modeset(struct comp_drm_display *d, struct comp_drm_output *out, unsigned index)
{
        uint32_t fb = out->buffers[index].fb_id;

        if (drmModeSetCrtc(d->fd, out->crtc_id, fb, 0, 0, &out->connector_id, 1, &out->mode) < 0) {
                int r = -errno;
                snprintf(d->base.error, sizeof(d->base.error), "setting mode %ux%u on %s failed: %s",
                         out->mode.hdisplay, out->mode.vdisplay, out->name, describe_errno(r));
                return r;
        }
        (void)drmModeDirtyFB(d->fd, fb, NULL, 0);
        out->shown = true;
        out->front = index;
        return 0;
}

static int flip(struct comp_drm_display *d, struct comp_drm_output *out, unsigned index)
{
        int r = drmModePageFlip(d->fd, out->crtc_id, out->buffers[index].fb_id,
                                DRM_MODE_PAGE_FLIP_EVENT, out);

        if (r == -EINVAL || r == -ENOSYS || r == -EOPNOTSUPP) {
                d->no_page_flip = true;
                return modeset(d, out, index);
        }
        if (r < 0) {
                snprintf(d->base.error, sizeof(d->base.error), "page flip on %s failed: %s",
                         out->name, describe_errno(r));
                return r;
        }
        d->flips_pending++;
        return 0;
}

/* The first frame: modeset, then draw it once more. Drivers on the GEM
 * VRAM helpers (bochs for QEMU's std-vga) move a dumb buffer into video
 * memory when the modeset pins it for scanout, and what was written into
 * it before the move does not always follow (seen with a tinyconfig-based
 * kernel); drawing again after the pin lands wherever the buffer lives now. */
static int first_show(struct comp_drm_display *d, struct comp_drm_output *out,
                      unsigned index, uint64_t frame)
{
        int r = modeset(d, out, index);

        if (r < 0)
                return r;
        r = draw(d, out, index, frame);
        if (r < 0) {
                snprintf(d->base.error, sizeof(d->base.error), "drawing failed: %s", strerror(-r));
                return r;
        }
        (void)drmModeDirtyFB(d->fd, out->buffers[index].fb_id, NULL, 0);
        return 0;
}

static int drm_present(struct comp_display *base, uint64_t frame)
{
        struct comp_drm_display *d = (struct comp_drm_display *)base;

        for (unsigned i = 0; i < d->n_outputs; i++) {
                struct comp_drm_output *out = &d->outputs[i];
                unsigned back = out->shown ? out->front ^ 1 : 0;
                int r;

                r = draw(d, out, back, frame);
                if (r < 0) {
                        snprintf(base->error, sizeof(base->error), "drawing failed: %s", strerror(-r));
                        return r;
                }
                if (!out->shown) {
                        r = first_show(d, out, back, frame);
                } else {
                        r = d->no_page_flip ? modeset(d, out, back) : flip(d, out, back);
                }
                if (r < 0)
                        return r;
        }
        return d->flips_pending == 0 ? 1 : 0;
}

/* Desktop mode draws into the buffer on screen and names the changed
 * rectangles with DirtyFB: virtio-gpu (and other shadowed drivers) then
 * transfer only those, and no flip is needed for a few changed pixels. */
static int drm_flush(struct comp_display *base, const struct comp_canvas *shadow,
                     const struct comp_damage *damage)
{
        struct comp_drm_display *d = (struct comp_drm_display *)base;
        drmModeClip clips[COMP_DAMAGE_MAX];

        for (unsigned i = 0; i < d->n_outputs; i++) {
                struct comp_drm_output *out = &d->outputs[i];
                struct comp_drm_buffer *b = &out->buffers[out->front];
                struct comp_canvas screen = {
                        .pixels = b->map,
                        .width = out->mode.hdisplay,
                        .height = out->mode.vdisplay,
                        .stride = b->pitch,
                        .format = shadow->format,
                };
                unsigned n = 0;

                for (unsigned k = 0; k < damage->n; k++) {
                        struct comp_rect r = comp_rect_intersect(damage->rects[k],
                                (struct comp_rect) { 0, 0, (int32_t)screen.width, (int32_t)screen.height });
                        if (comp_rect_empty(r))
                                continue;
                        comp_blit(&screen, shadow, r);
                        clips[n++] = (drmModeClip) { (uint16_t)r.x, (uint16_t)r.y,
                                                     (uint16_t)(r.x + r.w), (uint16_t)(r.y + r.h) };
                }
                if (n > 0)
                        (void)drmModeDirtyFB(d->fd, b->fb_id, clips, n);
        }
        return 0;
}

static void on_page_flip(int fd, unsigned sequence, unsigned sec, unsigned usec, void *data)
{
        struct comp_drm_output *out = data;

        out->front ^= 1;
        out->display->flips_pending--;
}

static int drm_dispatch(struct comp_display *base)
{
        struct comp_drm_display *d = (struct comp_drm_display *)base;
        drmEventContext ctx = { .version = 2, .page_flip_handler = on_page_flip };

        if (drmHandleEvent(d->fd, &ctx) < 0) {
                int r = errno ? -errno : -EIO;
                snprintf(base->error, sizeof(base->error), "reading DRM events failed: %s",
                         describe_errno(r));
                return r;
        }
        return d->flips_pending == 0 ? 1 : 0;
}

static int drm_check(struct comp_display *base)
{
        struct comp_drm_display *d = (struct comp_drm_display *)base;

        for (unsigned i = 0; i < d->n_outputs; i++) {
                drmModeConnector *c = drmModeGetConnectorCurrent(d->fd, d->outputs[i].connector_id);
                bool connected = c && c->connection == DRM_MODE_CONNECTED;

                drmModeFreeConnector(c);
                if (connected)
                        continue;
                snprintf(base->error, sizeof(base->error), "output %s on %s went away; stopping",
                         d->outputs[i].name, base->device);
                return -ENODEV;
        }
        return 0;
}

/* A signal can arrive while flips are queued: let them land (briefly)
 * before the CRTCs are restored and the buffers freed. */
static void drain_flips(struct comp_drm_display *d)
{
        drmEventContext ctx = { .version = 2, .page_flip_handler = on_page_flip };
        struct pollfd p = { .fd = d->fd, .events = POLLIN };

        while (d->flips_pending > 0 && poll(&p, 1, FLIP_DRAIN_MS) > 0)
                if (drmHandleEvent(d->fd, &ctx) < 0)
                        break;
}

static void drm_close(struct comp_display *base)
{
        struct comp_drm_display *d = (struct comp_drm_display *)base;

        if (!d)
                return;
        drain_flips(d);
        for (unsigned i = 0; i < d->n_outputs; i++)
                comp_drm_output_release(d->fd, &d->outputs[i]);
        if (d->fd >= 0) {
                (void)drmDropMaster(d->fd);
                close(d->fd);
        }
        free(d);
}

static const struct comp_display_ops drm_ops = {
        .present = drm_present,
        .dispatch = drm_dispatch,
        .check = drm_check,
        .flush = drm_flush,
        .close = drm_close,
};

/* -ENODEV when the card cannot do KMS with dumb buffers. */
static int check_kms(struct comp_drm_display *d, drmModeRes **ret_res, char *err, size_t errlen)
{
        uint64_t dumb = 0;
        drmModeRes *res = drmModeGetResources(d->fd);

        if (!res || res->count_connectors == 0 || res->count_crtcs == 0 ||
            drmGetCap(d->fd, DRM_CAP_DUMB_BUFFER, &dumb) < 0 || !dumb) {
                drmModeFreeResources(res);
                snprintf(err, errlen, "%s cannot do modesetting with dumb buffers", d->base.device);
                return -ENODEV;
        }
        *ret_res = res;
        return 0;
}

static int become_master(struct comp_drm_display *d, char *err, size_t errlen)
{
        if (drmSetMaster(d->fd) == 0)
                return 0;
        snprintf(err, errlen,
                 "cannot become DRM master of %s: %s (another program, such as a display "
                 "server, holds it; stop it or use another card)",
                 d->base.device, strerror(errno));
        return -EBUSY;
}

static int setup_card(struct comp_drm_display *d, const struct comp_options *o, char *err,
                      size_t errlen)
{
        drmModeRes *res = NULL;
        int r;

        r = check_kms(d, &res, err, errlen);
        if (r < 0)
                return r;
        r = become_master(d, err, errlen);
        if (r == 0)
                r = comp_drm_outputs_find(d, res, o->output, o->mode_width, o->mode_height, err,
                                          errlen);
        drmModeFreeResources(res);
        for (unsigned i = 0; r == 0 && i < d->n_outputs; i++)
                r = comp_drm_buffers_create(d->fd, &d->outputs[i], err, errlen);
        return r;
}

static int open_card(const char *path, const struct comp_options *o, struct comp_drm_display **ret,
                     char *err, size_t errlen)
{
        struct comp_drm_display *d = calloc(1, sizeof(*d));
        int r;

        if (!d)
                return -ENOMEM;
        d->base = (struct comp_display) { .ops = &drm_ops, .kind = "drm", .format_name = "XRGB8888" };
        snprintf(d->base.device, sizeof(d->base.device), "%s", path);
        d->pattern = o->pattern;
        d->fd = open(path, O_RDWR | O_CLOEXEC);
        if (d->fd < 0) {
                r = -errno;
                snprintf(err, errlen, "opening %s failed: %s", path, strerror(-r));
                free(d);
                return r;
        }
        r = setup_card(d, o, err, errlen);
        if (r < 0) {
                drm_close(&d->base);
                return r;
        }
        d->base.event_fd = d->fd;
        d->base.width = d->outputs[0].mode.hdisplay;
        d->base.height = d->outputs[0].mode.vdisplay;
        *ret = d;
        return 0;
}

int comp_drm_open(const struct comp_options *o, struct comp_display **ret, char *err, size_t errlen)
{
        struct comp_drm_display *d = NULL;
        char unusable[512] = "";        /* why the last card present did not do */
        int r = -ENOENT;

        if (o->device)
                r = open_card(o->device, o, &d, err, errlen);
        for (int i = 0; !o->device && i < MAX_CARDS && (r == -ENOENT || r == -ENODEV); i++) {
                char path[32];

                snprintf(path, sizeof(path), "%s/card%d", DRM_DIR_NAME, i);
                r = open_card(path, o, &d, err, errlen);
                if (r == -ENODEV)
                        snprintf(unusable, sizeof(unusable), "%s", err);
        }
        if (r == -ENOENT && unusable[0]) {
                snprintf(err, errlen, "%s", unusable);
                r = -ENODEV;
        } else if (r == -ENOENT)
                snprintf(err, errlen, "no DRM device");
        if (r < 0)
                return r;
        *ret = &d->base;
        return 0;
}
