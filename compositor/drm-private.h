/* compositor/drm-private.h: state shared by drm.c (the card, the frame
 * loop) and drm-output.c (connectors, modes, CRTCs, dumb buffers). */
#ifndef THATTE_COMP_DRM_PRIVATE_H
#define THATTE_COMP_DRM_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "compositor/display.h"

#define COMP_DRM_MAX_OUTPUTS 8

struct comp_drm_buffer {
        uint32_t handle, fb_id, pitch;
        uint64_t size;
        void *map;
};

struct comp_drm_output {
        struct comp_drm_display *display;
        char name[32];                  /* "Virtual-1", "HDMI-A-1", ... */
        uint32_t connector_id, crtc_id;
        drmModeModeInfo mode;
        drmModeCrtc *saved_crtc;        /* restored on close */
        struct comp_drm_buffer buffers[2];
        unsigned front;                 /* index of the buffer on screen */
        bool shown;                     /* set up with a modeset */
};

struct comp_drm_display {
        struct comp_display base;
        int fd;
        struct comp_pattern pattern;
        struct comp_drm_output outputs[COMP_DRM_MAX_OUTPUTS];
        unsigned n_outputs;
        unsigned flips_pending;
        bool no_page_flip;              /* driver refused flips: modeset instead */
};

/* comp_drm_outputs_find: takes an open master fd and the resources; fills
 * d->outputs with every connected connector (or only `name` when not NULL),
 * each with a mode (mode_w x mode_h, or the preferred one when 0) and a
 * CRTC of its own. Returns 0, or -ENODEV with a reason in err. */
int comp_drm_outputs_find(struct comp_drm_display *d, drmModeRes *res, const char *name,
                          uint32_t mode_w, uint32_t mode_h, char *err, size_t errlen);

/* comp_drm_buffers_create: two XRGB8888 dumb buffers with framebuffers and
 * mappings for the output's mode. Returns 0 or -errno (reason in err); on
 * error nothing is left allocated. */
int comp_drm_buffers_create(int fd, struct comp_drm_output *out, char *err, size_t errlen);

/* comp_drm_output_release: restores the saved CRTC and frees the buffers.
 * Safe on a partly set up output. */
void comp_drm_output_release(int fd, struct comp_drm_output *out);

#endif
