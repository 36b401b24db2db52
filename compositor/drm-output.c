/* compositor/drm-output.c: choosing what to drive on a DRM card — the
 * connected connectors, a mode for each, a CRTC its encoders allow — and
 * the two dumb buffers per output that frames alternate between. */
#include "config.h"

#include <drm_fourcc.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "compositor/drm-private.h"

static void connector_name(const drmModeConnector *c, char *buf, size_t len)
{
        const char *type = drmModeGetConnectorTypeName(c->connector_type);

        snprintf(buf, len, "%s-%u", type ? type : "Unknown", c->connector_type_id);
}

static int pick_mode(const drmModeConnector *c, uint32_t w, uint32_t h, drmModeModeInfo *ret)
{
        const drmModeModeInfo *chosen = NULL;

        for (int i = 0; i < c->count_modes; i++) {
                const drmModeModeInfo *m = &c->modes[i];

                if (w ? (m->hdisplay == w && m->vdisplay == h) : !!(m->type & DRM_MODE_TYPE_PREFERRED)) {
                        chosen = m;
                        break;
                }
        }
        if (!chosen && !w && c->count_modes > 0)
                chosen = &c->modes[0];
        if (!chosen)
                return -ENOENT;
        *ret = *chosen;
        return 0;
}

static bool crtc_taken(const struct comp_drm_display *d, uint32_t crtc_id)
{
        for (unsigned i = 0; i < d->n_outputs; i++)
                if (d->outputs[i].crtc_id == crtc_id)
                        return true;
        return false;
}

/* The CRTC currently driving the connector when free, else the first free
 * one any of its encoders can use. */
static int pick_crtc(struct comp_drm_display *d, drmModeRes *res, const drmModeConnector *c,
                     uint32_t *ret)
{
        drmModeEncoder *enc = c->encoder_id ? drmModeGetEncoder(d->fd, c->encoder_id) : NULL;

        if (enc && enc->crtc_id && !crtc_taken(d, enc->crtc_id)) {
                *ret = enc->crtc_id;
                drmModeFreeEncoder(enc);
                return 0;
        }
        drmModeFreeEncoder(enc);
        for (int e = 0; e < c->count_encoders; e++) {
                enc = drmModeGetEncoder(d->fd, c->encoders[e]);
                if (!enc)
                        continue;
                for (int i = 0; i < res->count_crtcs; i++) {
                        if (!(enc->possible_crtcs & (1u << i)) || crtc_taken(d, res->crtcs[i]))
                                continue;
                        *ret = res->crtcs[i];
                        drmModeFreeEncoder(enc);
                        return 0;
                }
                drmModeFreeEncoder(enc);
        }
        return -ENOENT;
}

static int add_output(struct comp_drm_display *d, drmModeRes *res, drmModeConnector *c,
                      uint32_t mode_w, uint32_t mode_h, char *err, size_t errlen)
{
        struct comp_drm_output *out = &d->outputs[d->n_outputs];

        *out = (struct comp_drm_output) { .display = d, .connector_id = c->connector_id };
        connector_name(c, out->name, sizeof(out->name));
        if (pick_mode(c, mode_w, mode_h, &out->mode) < 0) {
                snprintf(err, errlen, "output %s has no %ux%u mode", out->name, mode_w, mode_h);
                return -ENODEV;
        }
        if (pick_crtc(d, res, c, &out->crtc_id) < 0) {
                snprintf(err, errlen, "no free CRTC for output %s", out->name);
                return -ENODEV;
        }
        out->saved_crtc = drmModeGetCrtc(d->fd, out->crtc_id);
        d->n_outputs++;
        return 0;
}

int comp_drm_outputs_find(struct comp_drm_display *d, drmModeRes *res, const char *name,
                          uint32_t mode_w, uint32_t mode_h, char *err, size_t errlen)
{
        int r = 0;

        for (int i = 0; i < res->count_connectors && d->n_outputs < COMP_DRM_MAX_OUTPUTS; i++) {
                drmModeConnector *c = drmModeGetConnector(d->fd, res->connectors[i]);
                char cname[32];

                if (!c)
                        continue;
                connector_name(c, cname, sizeof(cname));
                if (c->connection == DRM_MODE_CONNECTED && (!name || strcmp(name, cname) == 0))
                        r = add_output(d, res, c, mode_w, mode_h, err, errlen);
                drmModeFreeConnector(c);
                if (r < 0)
                        return r;
        }
        if (d->n_outputs == 0) {
                if (name)
                        snprintf(err, errlen, "no connected output named %s on %s", name,
                                 d->base.device);
                else
                        snprintf(err, errlen, "no connected output on %s", d->base.device);
                return -ENODEV;
        }
        return 0;
}

static void buffer_destroy(int fd, struct comp_drm_buffer *b)
{
        if (b->map && b->map != MAP_FAILED)
                (void)munmap(b->map, b->size);
        if (b->fb_id)
                (void)drmModeRmFB(fd, b->fb_id);
        if (b->handle)
                (void)drmModeDestroyDumbBuffer(fd, b->handle);
        *b = (struct comp_drm_buffer) { 0 };
}

static int buffer_create(int fd, uint32_t w, uint32_t h, struct comp_drm_buffer *b)
{
        uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
        uint64_t map_offset;
        int r;

        r = drmModeCreateDumbBuffer(fd, w, h, 32, 0, &b->handle, &b->pitch, &b->size);
        if (r < 0)
                return r;
        handles[0] = b->handle;
        pitches[0] = b->pitch;
        if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches, offsets, &b->fb_id, 0) < 0)
                return -errno;
        r = drmModeMapDumbBuffer(fd, b->handle, &map_offset);
        if (r < 0)
                return r;
        b->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)map_offset);
        if (b->map == MAP_FAILED)
                return -errno;
        return 0;
}

int comp_drm_buffers_create(int fd, struct comp_drm_output *out, char *err, size_t errlen)
{
        for (int i = 0; i < 2; i++) {
                int r = buffer_create(fd, out->mode.hdisplay, out->mode.vdisplay, &out->buffers[i]);

                if (r < 0) {
                        snprintf(err, errlen, "creating a %ux%u dumb buffer for %s failed: %s",
                                 out->mode.hdisplay, out->mode.vdisplay, out->name, strerror(-r));
                        buffer_destroy(fd, &out->buffers[0]);
                        buffer_destroy(fd, &out->buffers[1]);
                        return r;
                }
        }
        return 0;
}

void comp_drm_output_release(int fd, struct comp_drm_output *out)
{
        drmModeCrtc *s = out->saved_crtc;

        if (out->shown) {
                if (s && s->mode_valid)
                        (void)drmModeSetCrtc(fd, s->crtc_id, s->buffer_id, s->x, s->y,
                                             &out->connector_id, 1, &s->mode);
                else
                        (void)drmModeSetCrtc(fd, out->crtc_id, 0, 0, 0, NULL, 0, NULL);
        }
        drmModeFreeCrtc(s);
        out->saved_crtc = NULL;
        buffer_destroy(fd, &out->buffers[0]);
        buffer_destroy(fd, &out->buffers[1]);
}
