/* kernel/root/aarch64/bochs.c: the default picture on QEMU's
 * bochs-display, a PCI card without VGA ports: BAR0 is the frame buffer,
 * BAR2 holds the Bochs VBE registers at +0x500 (16 bits each), which
 * vbe.c programs through MMIO here. ecam.c placed both BARs, BAR0 first,
 * so the frame buffer is mapped before the registers (a device Untyped is
 * mapped in ascending order, devmap.c). */
#include "paint.h"
#include "pcicfg.h"
#include "root.h"

#define BOCHS_W 1280u
#define BOCHS_H 800u
#define BOCHS_ID (0x1111u << 16 | 0x1234u)
#define BOCHS_VBE 0x500u
#define PCI_BAR2 0x18u

/* BAR2 of the first 1234:1111 on bus 0, 0: none. */
static uint64_t regs_bar(void)
{
        for (unsigned dev = 0; dev < 32; dev++)
                if (rt_pci_read(0, dev, 0, 0) == BOCHS_ID)
                        return rt_pci_bar_base(rt_pci_read(0, dev, 0, PCI_BAR2),
                                               rt_pci_read(0, dev, 0, PCI_BAR2 + 4));
        return 0;
}

void rt_bochs_show(uint64_t bar0)
{
        struct thatte_framebuffer fb = { .base = bar0, .width = BOCHS_W, .height = BOCHS_H,
                                         .format = THATTE_FB_BGRX8888 };
        uint64_t bar2 = regs_bar(), t0;
        uint32_t *pixels;
        char *regs;
        int r;

        if (rt_cmdline_mode(rt.info->cmdline, &fb.width, &fb.height) == -RT_EINVAL)
                rt_say("ignoring a malformed thatte.mode=, using %ux%u", fb.width, fb.height);
        fb.stride = fb.width;
        fb.size = (uint64_t)fb.width * fb.height * 4;
        if (!bar2)
                rt_fail("bochs-display: no register BAR", MK_E_INVALID_ARG);
        t0 = mku_rdtsc();
        pixels = rt_map_device(bar0, fb.size, RT_FB_VADDR);
        regs = rt_map_mmio(bar2, 4096, RT_MMIO_VADDR + (2ull << 20));
        if (!pixels || !regs)
                rt_fail("bochs-display mapping", MK_E_INVALID_CAP);
        rt_vbe_mmio = (volatile uint16_t *)(regs + BOCHS_VBE);
        r = rt_vbe_set_mode(fb.width, fb.height);
        if (r < 0)
                rt_fail("bochs-display mode set", r);
        rt_say("bochs-display at 0x%lx: mode %ux%u set through its MMIO VBE registers at 0x%lx",
               (unsigned long)bar0, fb.width, fb.height, (unsigned long)bar2);
        rt_display_paint(&fb, pixels, t0);
}
