/* kernel/root/aarch64/ramfb.c: the default picture on QEMU's ramfb,
 * driven by the root task. The kernel found fw_cfg in the device tree and
 * set RAM aside for the buffer (both device Untyped, named in the root
 * info's devices); here: the buffer is mapped and painted, then fw_cfg's
 * file "etc/ramfb" gets its address, format and size by fw_cfg DMA. The
 * DMA descriptor and the configuration sit in the last page of that RAM,
 * whose physical address the root knows, as the device needs. fw_cfg
 * (../../arch/aarch64/fw-cfg.h): the DMA address at +16, two 32-bit
 * halves, high first, big-endian. */
#include "../../arch/aarch64/fw-cfg.h"
#include "paint.h"
#include "root.h"

#define DMA_CTL_ERROR 0x01u
#define DMA_CTL_SELECT 0x08u
#define DMA_CTL_WRITE 0x10u
#define DMA_POLLS 1000000u
#define DRM_FORMAT_XRGB8888 0x34325258u
#define RAMFB_W 1024u
#define RAMFB_H 768u
#define PAGE 4096u

struct dma_access {
        uint32_t control, length;
        uint64_t address;
} __attribute__((packed, aligned(16)));

struct ramfb_cfg {
        uint64_t addr;
        uint32_t fourcc, flags, width, height, stride;
} __attribute__((packed));

static volatile uint8_t *fw;

/* One DMA write of len bytes at physical buf_pa to item key, the
 * descriptor at dma (physical dma_pa); 0, or -1 when fw_cfg said error
 * or never finished. */
static int dma_write(volatile struct dma_access *dma, uint64_t dma_pa, uint16_t key, uint64_t buf_pa,
                     uint32_t len)
{
        uint32_t ctl = 0;

        dma->control = __builtin_bswap32((uint32_t)key << 16 | DMA_CTL_SELECT | DMA_CTL_WRITE);
        dma->length = __builtin_bswap32(len);
        dma->address = __builtin_bswap64(buf_pa);
        __asm__ volatile("dsb sy" ::: "memory");
        *(volatile uint32_t *)(fw + FW_CFG_DMA) = __builtin_bswap32((uint32_t)(dma_pa >> 32));
        *(volatile uint32_t *)(fw + FW_CFG_DMA + 4) = __builtin_bswap32((uint32_t)dma_pa);
        for (uint32_t i = 0; i < DMA_POLLS; i++) {
                ctl = __builtin_bswap32(dma->control);
                if (!(ctl & ~DMA_CTL_ERROR))
                        return ctl & DMA_CTL_ERROR ? -1 : 0;
        }
        return -1;
}

int rt_ramfb_show(void)
{
        const struct thatte_root_devices *d = &rt.info->devices;
        struct thatte_framebuffer fb = { .base = d->ramfb, .width = RAMFB_W, .height = RAMFB_H,
                                         .stride = RAMFB_W, .format = THATTE_FB_BGRX8888 };
        uint64_t t0, last = d->ramfb + d->ramfb_size - PAGE;
        volatile struct ramfb_cfg *cfg;
        uint32_t *pixels;
        uint16_t key;

        if (!d->fw_cfg || !d->ramfb)
                return 0;
        fb.size = (uint64_t)fb.stride * fb.height * 4;
        if (fb.size > d->ramfb_size - PAGE)
                rt_fail("ramfb: too little RAM set aside", MK_E_RANGE);
        fw = rt_map_mmio(d->fw_cfg, PAGE, RT_MMIO_VADDR);
        if (!fw)
                rt_fail("fw_cfg mapping", MK_E_INVALID_CAP);
        key = fw_cfg_find(fw, "etc/ramfb");
        if (!key) {
                rt_say("ramfb: fw_cfg has no etc/ramfb");
                return 0;
        }
        t0 = mku_rdtsc();
        pixels = rt_map_device(d->ramfb, d->ramfb_size, RT_FB_VADDR);
        if (!pixels)
                rt_fail("ramfb mapping", MK_E_INVALID_CAP);
        rt_display_paint(&fb, pixels, t0);
        cfg = (volatile struct ramfb_cfg *)((char *)pixels + (last - d->ramfb) + 64);
        cfg->addr = __builtin_bswap64(fb.base);
        cfg->fourcc = __builtin_bswap32(DRM_FORMAT_XRGB8888);
        cfg->flags = 0;
        cfg->width = __builtin_bswap32(fb.width);
        cfg->height = __builtin_bswap32(fb.height);
        cfg->stride = __builtin_bswap32(fb.stride * 4);
        if (dma_write((volatile struct dma_access *)((char *)pixels + (last - d->ramfb)), last, key,
                      last + 64, sizeof(struct ramfb_cfg)) < 0)
                rt_fail("ramfb: fw_cfg DMA", MK_E_INVALID_ARG);
        rt_say("ramfb: %ux%u XRGB8888 at 0x%lx, handed over by fw_cfg DMA", fb.width, fb.height,
               (unsigned long)fb.base);
        return 1;
}
