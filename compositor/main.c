/* compositor/main.c: thatte-compositor's entry point and frame loop.
 *
 * Picks a backend (drm, then fbdev, for auto), shows frame 0, prints the
 * marker line, then animates or idles until a signal, --frames, or the
 * display going away. Signals arrive through a signalfd so the loop can
 * wait for them and for the display in one poll(). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "compositor/display.h"
#include "compositor/options.h"
#include "compositor/session.h"

#define PROGRAM "thatte-compositor"
#define CHECK_INTERVAL_MS 1000

static void print_help(void)
{
        printf("Usage: %s [OPTION]...\n"
               "Paint a picture on the display through DRM dumb buffers, or fbdev.\n\n"
               "  --backend auto|drm|fbdev|ppm  where to paint (default auto: DRM, then fbdev)\n"
               "  --device PATH        DRM card or fbdev device (default: probe)\n"
               "  --output NAME|FILE   drm: only this connector; ppm: the file to write\n"
               "  --mode WxH           drm: use this mode instead of the preferred one\n"
               "  --size WxH           ppm: picture size (default 640x480)\n"
               "  --format FORMAT      ppm: pixel format to render in (default XRGB8888)\n"
               "  --pattern PATTERN    gradient (default), bars, checker or solid:RRGGBB\n"
               "  --animate            move the pattern every frame\n"
               "  --frames N           show N frames, then exit\n"
               "  --once               show one frame, then exit (as --frames 1)\n"
               "  --channel FILE       show this display channel file (repeatable) instead of\n"
               "                       the ivshmem devices under " COMP_PCI_DEVICES "\n"
               "  --log-frames         log each client frame once on screen (for benchmarks)\n"
               "  --no-doorbell        poll channels every 10 ms even where their MSI-X\n"
               "                       doorbell could wake the compositor (a reference)\n"
               "  --help               show this help and exit\n"
               "  --version            show the version and exit\n\n"
               "Once the first frame is on screen, prints\n"
               "  %s: <drm|fbdev> WxH FORMAT on DEVICE\n"
               "to standard error, then stays until SIGINT, SIGTERM or SIGHUP, showing each\n"
               "live display channel in a window and logging\n"
               "  %s: client NAME WxH at X,Y\n"
               "  %s: client NAME gone\n",
               PROGRAM, PROGRAM, PROGRAM, PROGRAM);
}

static int open_display(const struct comp_options *o, struct comp_display **ret)
{
        char err[512] = "";
        int r;

        switch (o->backend) {
        case COMP_BACKEND_PPM:
                r = comp_ppm_open(o, ret, err, sizeof(err));
                break;
        case COMP_BACKEND_DRM:
                r = comp_drm_open(o, ret, err, sizeof(err));
                break;
        case COMP_BACKEND_FBDEV:
                r = comp_fbdev_open(o, ret, err, sizeof(err));
                break;
        default:
                r = comp_drm_open(o, ret, err, sizeof(err));
                /* --output and --mode only mean something to DRM: without a
                 * matching card, say so rather than paint fbdev instead. */
                if (o->output || o->mode_width)
                        break;
                if (r == -ENOENT || r == -ENODEV)
                        r = comp_fbdev_open(o, ret, err, sizeof(err));
                if (r == -ENOENT || r == -ENODEV)
                        snprintf(err, sizeof(err), "no DRM or fbdev device");
                break;
        }
        if (r < 0)
                fprintf(stderr, "%s: %s\n", PROGRAM, err);
        return r;
}

static int signal_fd(void)
{
        sigset_t set;

        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return -errno;
        return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int fail(struct comp_display *d, int r)
{
        if (d->error[0])
                fprintf(stderr, "%s: %s\n", PROGRAM, d->error);
        else
                fprintf(stderr, "%s: %s %s: %s\n", PROGRAM, d->kind, d->device, strerror(-r));
        return r;
}

/* Waits until the presented frame is shown, checking the display each
 * interval meanwhile. Returns 1 when a signal asks to stop, 0 to go on,
 * -errno (already reported) on display errors. (A run that stays waits in
 * the session instead.) */
static int wait_display(struct comp_display *d, int sfd)
{
        for (;;) {
                struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
                                       { .fd = d->event_fd, .events = POLLIN } };
                int r;

                r = poll(p, 2, CHECK_INTERVAL_MS);
                if (r < 0 && errno != EINTR) {
                        r = -errno;
                        fprintf(stderr, "%s: waiting for the display failed: %s\n", PROGRAM,
                                strerror(-r));
                        return r;
                }
                if (r > 0 && (p[0].revents & POLLIN))
                        return 1;
                if (r > 0 && p[1].revents) {
                        r = d->ops->dispatch(d);
                        if (r < 0)
                                return fail(d, r);
                        if (r > 0)
                                return 0;
                        continue;
                }
                r = d->ops->check(d);
                if (r < 0)
                        return fail(d, r);
        }
}

static int show_frame(struct comp_display *d, int sfd, uint64_t frame)
{
        int r = d->ops->present(d, frame);

        if (r < 0)
                return fail(d, r);
        if (r > 0)
                return 0;       /* already on screen */
        return wait_display(d, sfd);
}

static int run(const struct comp_options *o, struct comp_display *d, int sfd)
{
        uint64_t frame = 0;
        int r;

        r = show_frame(d, sfd, frame);
        if (r != 0)
                return r;
        fprintf(stderr, "%s: %s %ux%u %s on %s\n", PROGRAM, d->kind, d->width, d->height,
                d->format_name, d->device);
        for (frame = 1; o->frames == 0 || frame < o->frames; frame++) {
                if (o->animate || o->frames != 0)
                        r = show_frame(d, sfd, o->animate ? frame : 0);
                else
                        r = comp_session_run(o, d, sfd);
                if (r != 0)
                        return r;
        }
        return 0;
}

int main(int argc, char **argv)
{
        struct comp_options o;
        struct comp_display *d = NULL;
        char err[256];
        int sfd, r;

        if (comp_options_parse(argc, argv, &o, err, sizeof(err)) < 0) {
                fprintf(stderr, "%s: %s\n", PROGRAM, err);
                return 2;
        }
        if (o.action == COMP_ACTION_HELP) {
                print_help();
                return 0;
        }
        if (o.action == COMP_ACTION_VERSION) {
                printf("%s %s\n", PROGRAM, PACKAGE_VERSION);
                return 0;
        }
        sfd = signal_fd();
        if (sfd < 0) {
                fprintf(stderr, "%s: setting up signals failed: %s\n", PROGRAM, strerror(errno));
                return 1;
        }
        r = open_display(&o, &d);
        if (r == 0) {
                r = run(&o, d, sfd);
                d->ops->close(d);
        }
        close(sfd);
        return r < 0 ? 1 : 0;
}
