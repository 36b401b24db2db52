/* kernel/root/display.c: paint the default picture. The framebuffer the
 * loader handed over (rootinfo fb) if there is one; else the std-vga found
 * on PCI, after setting a mode on it (vbe.c); else say there is no display
 * and carry on. */
#include "paint.h"
#include "root.h"

#define RT_DEFAULT_W 1280u
#define RT_DEFAULT_H 800u

static uint32_t row[RT_PAINT_ROW_MAX + 2] __attribute__((aligned(8)));

static void stdvga_mode(struct thatte_framebuffer *fb, uint64_t bar0)
{
        unsigned w = RT_DEFAULT_W, h = RT_DEFAULT_H;
        int r;

        if (rt_cmdline_mode(rt.info->cmdline, &w, &h) == -RT_EINVAL)
                rt_say("ignoring a malformed thatte.mode=, using %ux%u", w, h);
        r = rt_vbe_set_mode(w, h);
        if (r < 0)
                rt_fail("std-vga mode set", r);
        fb->base = bar0;
        fb->width = w;
        fb->height = h;
        fb->stride = w;
        fb->size = (uint64_t)w * h * 4;
        fb->format = THATTE_FB_BGRX8888;
        rt_say("std-vga at 0x%lx: mode %ux%u set through the Bochs VBE registers",
               (unsigned long)bar0, w, h);
}

void rt_display_paint(const struct thatte_framebuffer *fb, uint32_t *pixels, uint64_t t0)
{
        struct rt_pixfmt pf;
        uint64_t t1, t2;

        if (rt_pixfmt_init(&pf, fb->format, fb->red_mask, fb->green_mask, fb->blue_mask) < 0)
                rt_fail("framebuffer pixel format", MK_E_INVALID_ARG);
        if (fb->stride < fb->width || (uint64_t)fb->stride * fb->height * 4 > fb->size)
                rt_fail("framebuffer geometry", MK_E_INVALID_ARG);
        t1 = mku_rdtsc();
        rt_paint(pixels, fb->width, fb->height, fb->stride, &pf,
                 fb->width <= RT_PAINT_ROW_MAX ? row : NULL);
        t2 = mku_rdtsc();
        rt.fb = *fb;
        rt_say("painted %ux%u", fb->width, fb->height);
        rt_say("framebuffer mapped in %lu instructions, painted in %lu",
               (unsigned long)(t1 - t0), (unsigned long)(t2 - t1));
}

void rt_check_display(uint64_t stdvga_bar0)
{
        struct thatte_framebuffer fb = rt.info->fb;
        uint32_t *pixels;
        uint64_t t0;

        if (fb.format == THATTE_FB_NONE && !stdvga_bar0) {
                rt_say("no display: no framebuffer handed over and no std-vga on PCI");
                return;
        }
        if (fb.format == THATTE_FB_NONE)
                stdvga_mode(&fb, stdvga_bar0);
        t0 = mku_rdtsc();
        pixels = rt_map_device(fb.base, (uint64_t)fb.stride * fb.height * 4, RT_FB_VADDR);
        if (!pixels)
                rt_fail("framebuffer mapping", MK_E_INVALID_CAP);
        rt_display_paint(&fb, pixels, t0);
}
