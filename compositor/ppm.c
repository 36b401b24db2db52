/* compositor/ppm.c: the ppm backend renders into memory and writes a PPM
 * file, so patterns and pixel formats can be checked on any machine. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compositor/blit.h"
#include "compositor/display.h"

struct ppm_display {
        struct comp_display base;
        struct comp_canvas canvas;
        struct comp_pattern pattern;
        const char *path;
};

static int write_rows(FILE *f, const struct comp_canvas *c)
{
        unsigned bytes = comp_format_bytes(c->format);
        uint8_t *line = malloc((size_t)c->width * 3);

        if (!line)
                return -ENOMEM;
        for (uint32_t y = 0; y < c->height; y++) {
                const uint8_t *src = (const uint8_t *)c->pixels + (size_t)y * c->stride;
                for (uint32_t x = 0; x < c->width; x++)
                        comp_unpack(c->format, comp_pixel_load(c->format, src + x * bytes),
                                    line + 3 * x);
                if (fwrite(line, 3, c->width, f) != c->width) {
                        free(line);
                        return -EIO;
                }
        }
        free(line);
        return 0;
}

static mode_t current_umask(void)
{
        mode_t m = umask(0);

        umask(m);
        return m;
}

int comp_ppm_write(const struct comp_canvas *canvas, const char *path)
{
        size_t n = strlen(path);
        char *tmp = malloc(n + 8);
        FILE *f = NULL;
        int fd, r;

        if (!tmp)
                return -ENOMEM;
        memcpy(tmp, path, n);
        memcpy(tmp + n, ".XXXXXX", 8);
        fd = mkstemp(tmp);
        if (fd < 0) {
                r = -errno;
                free(tmp);
                return r;
        }
        /* mkstemp makes 0600; give the picture the usual umask-based mode. */
        if (fchmod(fd, 0666 & ~current_umask()) < 0) {
                r = -errno;
                close(fd);
                goto fail;
        }
        f = fdopen(fd, "w");
        if (!f) {
                r = -errno;
                close(fd);
                goto fail;
        }
        r = fprintf(f, "P6\n%u %u\n255\n", canvas->width, canvas->height) < 0 ? -EIO : 0;
        if (r == 0)
                r = write_rows(f, canvas);
        if (fclose(f) != 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r == 0) {
                free(tmp);
                return 0;
        }
fail:
        (void)unlink(tmp);
        free(tmp);
        return r;
}

static int ppm_present(struct comp_display *d, uint64_t frame)
{
        struct ppm_display *p = (struct ppm_display *)d;
        int r;

        r = comp_pattern_draw(&p->pattern, &p->canvas, frame);
        if (r == 0)
                r = comp_ppm_write(&p->canvas, p->path);
        if (r < 0)
                snprintf(d->error, sizeof(d->error), "writing %s failed: %s", p->path,
                         strerror(-r));
        return r < 0 ? r : 1;
}

static int ppm_dispatch(struct comp_display *d)
{
        return 1;
}

static int ppm_check(struct comp_display *d)
{
        return 0;
}

/* Every flush rewrites the file (atomically), so a test can read it. */
static int ppm_flush(struct comp_display *d, const struct comp_canvas *shadow,
                     const struct comp_damage *damage)
{
        struct ppm_display *p = (struct ppm_display *)d;
        int r;

        for (unsigned i = 0; i < damage->n; i++)
                comp_blit(&p->canvas, shadow, damage->rects[i]);
        r = comp_ppm_write(&p->canvas, p->path);
        if (r < 0)
                snprintf(d->error, sizeof(d->error), "writing %s failed: %s", p->path,
                         strerror(-r));
        return r;
}

static void ppm_close(struct comp_display *d)
{
        struct ppm_display *p = (struct ppm_display *)d;

        if (!p)
                return;
        free(p->canvas.pixels);
        free(p);
}

static const struct comp_display_ops ppm_ops = {
        .present = ppm_present,
        .dispatch = ppm_dispatch,
        .check = ppm_check,
        .flush = ppm_flush,
        .close = ppm_close,
};

int comp_ppm_open(const struct comp_options *o, struct comp_display **ret, char *err, size_t errlen)
{
        struct ppm_display *p = calloc(1, sizeof(*p));
        size_t stride = (size_t)o->size_width * comp_format_bytes(o->format);

        if (!p || !(p->canvas.pixels = malloc(stride * o->size_height))) {
                free(p);
                snprintf(err, errlen, "out of memory for a %ux%u picture", o->size_width,
                         o->size_height);
                return -ENOMEM;
        }
        p->canvas.width = o->size_width;
        p->canvas.height = o->size_height;
        p->canvas.stride = (uint32_t)stride;
        p->canvas.format = o->format;
        p->pattern = o->pattern;
        p->path = o->output;
        p->base = (struct comp_display) {
                .ops = &ppm_ops,
                .kind = "ppm",
                .width = o->size_width,
                .height = o->size_height,
                .format_name = o->format->name,
                .event_fd = -1,
        };
        snprintf(p->base.device, sizeof(p->base.device), "%s", o->output);
        *ret = &p->base;
        return 0;
}
