/* kernel/arch/aarch64/fw-cfg.h: QEMU's fw_cfg file directory, read through
 * its registers at regs (the kernel's direct map of them, or the root
 * task's uncached mapping: kernel/root/aarch64/ramfb.c). Selector at +8
 * (16 bits), data at +0 (8 bits at a time), every field big-endian; each
 * directory entry: size (4), select (2), reserved (2), name (56).
 * Freestanding, header only: both sides include it. */
#ifndef THATTE_AARCH64_FW_CFG_H
#define THATTE_AARCH64_FW_CFG_H

#include <stdint.h>

#define FW_CFG_DATA 0x0u
#define FW_CFG_SELECTOR 0x8u
#define FW_CFG_DMA 0x10u
#define FW_CFG_FILE_DIR 0x19u
#define FW_CFG_DIR_MAX 4096u    /* a directory longer than this is not believed */

static inline uint32_t fw_cfg_be32(volatile uint8_t *regs)
{
        uint32_t v = 0;

        for (int i = 0; i < 4; i++)
                v = v << 8 | regs[FW_CFG_DATA];
        return v;
}

/* The selector of the file NAME, 0 when there is none. */
static inline uint16_t fw_cfg_find(volatile uint8_t *regs, const char *name)
{
        uint32_t count;

        *(volatile uint16_t *)(regs + FW_CFG_SELECTOR) = __builtin_bswap16(FW_CFG_FILE_DIR);
        count = fw_cfg_be32(regs);
        for (uint32_t i = 0; i < count && i < FW_CFG_DIR_MAX; i++) {
                char entry[56];
                uint16_t key;

                (void)fw_cfg_be32(regs);
                key = (uint16_t)(fw_cfg_be32(regs) >> 16);
                for (int j = 0; j < 56; j++)
                        entry[j] = (char)regs[FW_CFG_DATA];
                entry[55] = '\0';
                for (int j = 0; entry[j] == name[j]; j++)
                        if (name[j] == '\0')
                                return key;
        }
        return 0;
}

#endif
