/* compositor/display.h: what every backend (drm, fbdev, ppm) offers the
 * main loop.
 *
 * Flow: open -> present(0) -> wait until shown -> print the marker line ->
 * for animation present(1), present(2), ... each waited for the same way ->
 * close (which restores what was on screen before). A backend whose present
 * completes at once returns 1 from present; otherwise the main loop polls
 * event_fd and calls dispatch until it returns 1 (frame shown). A run that
 * stays hands over to the session (session.c), which from then on only
 * calls flush (with the damaged rectangles of its shadow buffer) and check. */
#ifndef THATTE_COMP_DISPLAY_H
#define THATTE_COMP_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "compositor/damage.h"
#include "compositor/options.h"

struct comp_display;

struct comp_display_ops {
        /* Draws `frame` into the back buffer and asks for it to be shown.
         * Returns 1 when it is on screen already, 0 when the main loop must
         * wait on event_fd, or -errno (with a reason in display->error). */
        int (*present)(struct comp_display *d, uint64_t frame);
        /* 1: the presented frame is on screen; 0: not yet; or -errno. */
        int (*dispatch)(struct comp_display *d);
        /* Called about once a second while idle: 0 while the output still
         * exists, -errno (and a reason) once it is gone. */
        int (*check)(struct comp_display *d);
        /* Desktop mode (after the first frame is shown): copies the damaged
         * rectangles of `shadow` (XRGB8888, the display's size) to the
         * screen, in place, and tells the device which parts changed.
         * Returns 0 or -errno (with a reason in display->error). */
        int (*flush)(struct comp_display *d, const struct comp_canvas *shadow,
                     const struct comp_damage *damage);
        /* Restores the previous screen state and frees d. Accepts NULL. */
        void (*close)(struct comp_display *d);
};

struct comp_display {
        const struct comp_display_ops *ops;
        const char *kind;               /* "drm", "fbdev", "ppm" */
        uint32_t width, height;         /* of the first output */
        const char *format_name;
        char device[256];
        int event_fd;                   /* polled while a frame is pending */
        char error[512];
};

/* The backends' constructors: take the options; on success store a new
 * display in *ret and return 0. -ENOENT/-ENODEV mean "no such display here"
 * (auto selection moves on); other -errno values are real failures. Either
 * way a reason is written to err. */
int comp_drm_open(const struct comp_options *o, struct comp_display **ret, char *err, size_t errlen);
int comp_fbdev_open(const struct comp_options *o, struct comp_display **ret, char *err,
                    size_t errlen);
int comp_ppm_open(const struct comp_options *o, struct comp_display **ret, char *err, size_t errlen);

/* comp_ppm_write: writes the canvas as a binary PPM (P6) to path, atomically
 * (temporary file in the same folder, then rename). Returns 0 or -errno. */
int comp_ppm_write(const struct comp_canvas *canvas, const char *path);

#endif
