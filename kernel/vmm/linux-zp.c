/* kernel/vmm/linux-zp.c: the zero page Linux reads at its 64-bit entry:
 * the image's setup header with the loader's fields filled in, the e820
 * map of the guest's RAM and screen_info for a linear framebuffer. */
#include "linux-zp.h"
#include "le.h"

#define HDR_VID_MODE 0x1fa
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_SETUP_DATA 0x250
#define HDR_LIMIT 0x290

/* screen_info (the zero page's first 0x40 bytes). */
#define SI_ORIG_VIDEO_ISVGA 0x0f
#define SI_LFB_WIDTH 0x12
#define SI_LFB_HEIGHT 0x14
#define SI_LFB_DEPTH 0x16
#define SI_LFB_BASE 0x18
#define SI_LFB_SIZE 0x1c
#define SI_LFB_LINELENGTH 0x24
#define SI_COLOURS 0x26         /* red size, pos, green size, pos, blue, rsvd */
#define SI_CAPABILITIES 0x36
#define SI_EXT_LFB_BASE 0x3a
#define VIDEO_TYPE_VLFB 0x23
#define VIDEO_TYPE_EFI 0x70
#define VIDEO_CAPABILITY_64BIT_BASE 0x2

static void
write_screen_info(uint8_t *si, const struct linux_fb *fb)
{
        uint64_t bytes = (uint64_t)fb->stride * fb->height;
        /* The fourth byte is what red, green and blue leave of 0+8+16+24. */
        uint8_t rsvd = (uint8_t)(48 - fb->red_pos - fb->green_pos - fb->blue_pos);

        si[SI_ORIG_VIDEO_ISVGA] = fb->efi ? VIDEO_TYPE_EFI : VIDEO_TYPE_VLFB;
        wr16(si + SI_LFB_WIDTH, (uint16_t)fb->width);
        wr16(si + SI_LFB_HEIGHT, (uint16_t)fb->height);
        wr16(si + SI_LFB_DEPTH, 32);
        wr32(si + SI_LFB_BASE, (uint32_t)fb->base);
        /* efifb counts bytes, vesafb 64 KiB units. */
        wr32(si + SI_LFB_SIZE, fb->efi ? (uint32_t)bytes : (uint32_t)((bytes + 0xffff) >> 16));
        wr16(si + SI_LFB_LINELENGTH, (uint16_t)fb->stride);
        const uint8_t colours[8] = { 8, fb->red_pos, 8, fb->green_pos, 8, fb->blue_pos,
                                     8, rsvd };
        __builtin_memcpy(si + SI_COLOURS, colours, sizeof(colours));
        if (fb->base >> 32) {
                wr32(si + SI_EXT_LFB_BASE, (uint32_t)(fb->base >> 32));
                wr32(si + SI_CAPABILITIES, VIDEO_CAPABILITY_64BIT_BASE);
        }
}

static uint32_t
add_e820(uint8_t *zp, uint32_t n, uint64_t start, uint64_t end)
{
        if (end <= start || n >= ZP_E820_MAX)
                return n;
        uint8_t *e = zp + ZP_E820_TABLE + n * 20;
        wr64(e, start);
        wr64(e + 8, end - start);
        wr32(e + 16, E820_RAM);
        return n + 1;
}

/* The RAM given, without the legacy hole. */
static uint32_t
write_e820(uint8_t *zp, const struct guest_ram *ram)
{
        uint64_t start = ram->gpa, end = ram->gpa + ram->size;
        uint32_t n = 0;

        if (start < LEGACY_HOLE_START)
                n = add_e820(zp, n, start, end < LEGACY_HOLE_START ? end : LEGACY_HOLE_START);
        n = add_e820(zp, n, start > LEGACY_HOLE_END ? start : LEGACY_HOLE_END, end);
        zp[ZP_E820_ENTRIES] = (uint8_t)n;
        return n;
}

uint32_t
linux_write_zero_page(uint8_t *zp, const struct linux_boot *b, const struct linux_header *h,
                      const struct guest_ram *ram, const struct linux_layout *l)
{
        uint32_t hdr_end = h->header_end < HDR_LIMIT ? h->header_end : HDR_LIMIT;

        __builtin_memset(zp, 0, 4096);
        __builtin_memcpy(zp + ZP_HDR, b->image + ZP_HDR, hdr_end - ZP_HDR);
        wr16(zp + HDR_VID_MODE, 0xffff);        /* "normal": no mode switch */
        zp[HDR_TYPE_OF_LOADER] = 0xff;          /* no registered loader ID */
        wr32(zp + HDR_RAMDISK_IMAGE, (uint32_t)l->initrd);
        wr32(zp + HDR_RAMDISK_SIZE, (uint32_t)l->initrd_len);
        wr32(zp + ZP_EXT_RAMDISK_IMAGE, (uint32_t)(l->initrd >> 32));
        wr32(zp + ZP_EXT_RAMDISK_SIZE, (uint32_t)(l->initrd_len >> 32));
        wr32(zp + HDR_CMD_LINE_PTR, (uint32_t)l->cmdline);
        wr32(zp + ZP_EXT_CMD_LINE_PTR, (uint32_t)(l->cmdline >> 32));
        /* The image's own setup_data pointer means nothing here. */
        if (hdr_end >= HDR_SETUP_DATA + 8)
                wr64(zp + HDR_SETUP_DATA, 0);
        if (b->fb && b->fb->base)
                write_screen_info(zp, b->fb);
        return write_e820(zp, ram);
}
