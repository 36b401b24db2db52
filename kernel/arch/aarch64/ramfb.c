/* kernel/arch/aarch64/ramfb.c: a frame buffer for QEMU virt without any
 * PCI: when QEMU has a ramfb device, its fw_cfg file "etc/ramfb" takes
 * the address, format and size of a buffer in guest RAM, written by fw_cfg
 * DMA. fw_cfg (0x09020000 on virt): selector at +8 (16 bits), data at +0,
 * DMA address at +16 (64 bits); every field big-endian. The buffer's place
 * is fixed for now (RAMFB_PHYS, inside the smallest RAM the tests use,
 * clear of the image and of QEMU's device tree); the task paints it. */
#include "arch.h"

#define FW_CFG 0x09020000ull
#define FW_CFG_DATA 0x0
#define FW_CFG_SELECTOR 0x8
#define FW_CFG_DMA 0x10
#define FW_CFG_FILE_DIR 0x19
#define DMA_CTL_ERROR 0x01u
#define DMA_CTL_SELECT 0x08u
#define DMA_CTL_WRITE 0x10u
#define DRM_FORMAT_XRGB8888 0x34325258u
#define RAMFB_PHYS 0x44000000ull

struct dma_access {
        uint32_t control, length;
        uint64_t address;
} __attribute__((packed, aligned(16)));

struct ramfb_cfg {
        uint64_t addr;
        uint32_t fourcc, flags, width, height, stride;
} __attribute__((packed));

static struct dma_access dma;
static struct ramfb_cfg cfg __attribute__((aligned(16)));

uint64_t arch_fb_phys;
unsigned arch_fb_width, arch_fb_height;

static void select_item(uint16_t key)
{
        *(volatile uint16_t *)arch_phys(FW_CFG + FW_CFG_SELECTOR) = __builtin_bswap16(key);
}

static uint8_t read_byte(void)
{
        return *(volatile uint8_t *)arch_phys(FW_CFG + FW_CFG_DATA);
}

static uint32_t read_be32(void)
{
        uint32_t v = 0;

        for (int i = 0; i < 4; i++)
                v = v << 8 | read_byte();
        return v;
}

/* The selector of the fw_cfg file NAME, 0 when there is none. Each entry
 * of the directory: size (4), select (2), reserved (2), name (56). */
static uint16_t find_file(const char *name)
{
        uint32_t count;

        select_item(FW_CFG_FILE_DIR);
        count = read_be32();
        for (uint32_t i = 0; i < count && i < 4096; i++) {
                char entry_name[56];
                uint16_t key;

                (void)read_be32();
                key = (uint16_t)(read_byte() << 8);
                key |= read_byte();
                (void)read_byte();
                (void)read_byte();
                for (int j = 0; j < 56; j++)
                        entry_name[j] = (char)read_byte();
                entry_name[55] = '\0';
                for (int j = 0; entry_name[j] == name[j]; j++)
                        if (name[j] == '\0')
                                return key;
        }
        return 0;
}

/* One DMA write of len bytes at buf to item key; 0 or -5 (EIO). */
static int dma_write(uint16_t key, const void *buf, uint32_t len)
{
        uint64_t pa = arch_virt_to_phys(&dma);

        dma.control = __builtin_bswap32((uint32_t)key << 16 | DMA_CTL_SELECT | DMA_CTL_WRITE);
        dma.length = __builtin_bswap32(len);
        dma.address = __builtin_bswap64(arch_virt_to_phys(buf));
        __asm__ volatile("dsb sy" ::: "memory");
        *(volatile uint32_t *)arch_phys(FW_CFG + FW_CFG_DMA) = __builtin_bswap32((uint32_t)(pa >> 32));
        *(volatile uint32_t *)arch_phys(FW_CFG + FW_CFG_DMA + 4) = __builtin_bswap32((uint32_t)pa);
        while (__builtin_bswap32(*(volatile uint32_t *)&dma.control) & ~DMA_CTL_ERROR)
                ;
        return __builtin_bswap32(*(volatile uint32_t *)&dma.control) & DMA_CTL_ERROR ? -5 : 0;
}

bool arch_ramfb_init(unsigned width, unsigned height)
{
        uint16_t key = find_file("etc/ramfb");

        if (!key)
                return false;
        cfg = (struct ramfb_cfg){ .addr = __builtin_bswap64(RAMFB_PHYS),
                                  .fourcc = __builtin_bswap32(DRM_FORMAT_XRGB8888),
                                  .width = __builtin_bswap32(width), .height = __builtin_bswap32(height),
                                  .stride = __builtin_bswap32(width * 4) };
        if (dma_write(key, &cfg, sizeof(cfg)) < 0) {
                arch_log("ramfb: fw_cfg DMA failed");
                return false;
        }
        arch_fb_phys = RAMFB_PHYS;
        arch_fb_width = width;
        arch_fb_height = height;
        return true;
}
