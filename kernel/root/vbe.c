/* kernel/root/vbe.c: the first user-level driver: a display mode on QEMU's
 * std-vga through the Bochs VBE registers (index port 0x1CE, data port
 * 0x1CF, 16 bits each) with an I/O port capability, or on bochs-display
 * through the same registers in its MMIO BAR (rt_vbe_mmio, aarch64). The
 * linear framebuffer is the card's BAR0; 32 bpp pixels are 0x00RRGGBB
 * (BGRX in memory). */
#include "paint.h"
#include "root.h"

#define VBE_INDEX 0x1ceu
#define VBE_DATA 0x1cfu
enum {
        VBE_ID = 0, VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_BANK, VBE_VIRT_WIDTH,
        VBE_VIRT_HEIGHT, VBE_X_OFFSET, VBE_Y_OFFSET, VBE_VIDEO_MEMORY_64K
};
#define VBE_ENABLED 0x01u
#define VBE_LFB 0x40u

static uint64_t vbe_cap;
volatile uint16_t *rt_vbe_mmio;

static uint32_t vbe_get(unsigned index)
{
        uint32_t v = 0;
        int r;

        if (rt_vbe_mmio)
                return rt_vbe_mmio[index];
        r = mku_ioport_out(vbe_cap, VBE_INDEX, 2, index);
        if (r == MK_OK)
                r = mku_ioport_in(vbe_cap, VBE_DATA, 2, &v);
        if (r != MK_OK)
                rt_fail("vbe register read", r);
        return v;
}

static void vbe_set(unsigned index, uint32_t value)
{
        int r;

        if (rt_vbe_mmio) {
                rt_vbe_mmio[index] = (uint16_t)value;
                return;
        }
        r = mku_ioport_out(vbe_cap, VBE_INDEX, 2, index);
        if (r == MK_OK)
                r = mku_ioport_out(vbe_cap, VBE_DATA, 2, value);
        if (r != MK_OK)
                rt_fail("vbe register write", r);
}

int rt_vbe_set_mode(unsigned w, unsigned h)
{
        uint32_t id;

        /* 16-bit accesses: the data port's word reaches 0x1D0 */
        if (!vbe_cap && !rt_vbe_mmio)
                vbe_cap = rt_ioport(VBE_INDEX, VBE_DATA + 1, "ioport issue 0x1CE");
        id = vbe_get(VBE_ID);
        if (id < 0xb0c0u || id > 0xb0cfu)
                return -RT_ENODEV;
        if ((uint64_t)w * h * 4 > (uint64_t)vbe_get(VBE_VIDEO_MEMORY_64K) << 16)
                return -RT_ENOSPC;
        vbe_set(VBE_ENABLE, 0);
        vbe_set(VBE_XRES, w);
        vbe_set(VBE_YRES, h);
        vbe_set(VBE_BPP, 32);
        vbe_set(VBE_VIRT_WIDTH, w);
        vbe_set(VBE_X_OFFSET, 0);
        vbe_set(VBE_Y_OFFSET, 0);
        vbe_set(VBE_ENABLE, VBE_ENABLED | VBE_LFB);
        if (vbe_get(VBE_XRES) != w || vbe_get(VBE_YRES) != h || vbe_get(VBE_BPP) != 32)
                return -RT_EINVAL;
        return 0;
}
