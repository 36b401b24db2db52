/* kernel/vmm/linux-boot.c: checking a bzImage's setup header and laying a
 * Linux kernel out in guest RAM for its 64-bit entry (see linux-boot.h). */
#include "linux-boot.h"
#include "le.h"

#define HDR_SETUP_SECTS 0x1f1
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP 0x200          /* short jump: its second byte says where the header ends */
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_SETUP_DATA 0x250
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_END_2_12 0x264      /* the fields above are all a 2.12 header has */
#define HDR_LIMIT 0x290         /* where boot_params' copy of the header ends */

#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x02

int
linux_parse_header(const uint8_t *img, size_t len, struct linux_header *h)
{
        if (!img || len < HDR_END_2_12 || rd16(img + HDR_BOOT_FLAG) != 0xaa55 ||
            rd32(img + HDR_MAGIC) != 0x53726448 /* "HdrS" */)
                return -VMM_ENOEXEC;
        h->version = rd16(img + HDR_VERSION);
        if (h->version < 0x020c)
                return -VMM_ENOTSUP;
        unsigned sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
        h->setup_len = (sects + 1) * 512;
        h->header_end = HDR_JUMP + 2 + img[HDR_JUMP + 1];
        if (h->setup_len >= len || h->header_end < HDR_END_2_12 ||
            h->header_end > h->setup_len || len - h->setup_len > UINT32_MAX)
                return -VMM_ENOEXEC;
        if (!(img[HDR_LOADFLAGS] & LOADED_HIGH) || !img[HDR_RELOCATABLE] ||
            !(rd16(img + HDR_XLOADFLAGS) & XLF_KERNEL_64))
                return -VMM_ENOTSUP;
        h->kernel_len = (uint32_t)(len - h->setup_len);
        h->init_size = rd32(img + HDR_INIT_SIZE);
        h->alignment = rd32(img + HDR_KERNEL_ALIGNMENT);
        h->pref_address = rd64(img + HDR_PREF_ADDRESS);
        h->cmdline_max = rd32(img + HDR_CMDLINE_SIZE);
        h->initrd_max = rd32(img + HDR_INITRD_ADDR_MAX);
        h->initrd_above_4g = rd16(img + HDR_XLOADFLAGS) & XLF_CAN_BE_LOADED_ABOVE_4G;
        /* Alignment: a power of two from a page to 1 GiB (2 MiB in practice). */
        if (h->alignment < 4096 || h->alignment > (1u << 30) ||
            (h->alignment & (h->alignment - 1)) || h->init_size < h->kernel_len)
                return -VMM_ENOEXEC;
        return 0;
}
