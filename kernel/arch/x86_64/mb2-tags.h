/* kernel/arch/x86_64/mb2-tags.h: reading the Multiboot2 boot information
 * (a total size, then 8-byte aligned tags) into the pieces of a struct
 * thatte_bootinfo. Pure: touches only the block it is given and what it
 * fills, so tests/kernel/mb2-tags.c runs it on the host. */
#ifndef THATTE_ARCH_MB2_TAGS_H
#define THATTE_ARCH_MB2_TAGS_H

#include <stdint.h>

#include "memmap.h"
#include "thatte/bootinfo.h"

#define MB2_MAX_MODULES 4u
#define MB2_CMDLINE_SIZE 256u
#define MB2_RSDP_COPY 20u       /* the RSDP 1.0 bytes a search compares */

struct mb2_parsed {
        struct thatte_framebuffer fb;   /* format NONE unless 32 bpp direct colour */
        struct thatte_module modules[MB2_MAX_MODULES];
        uint32_t module_count;
        char cmdline[MB2_CMDLINE_SIZE]; /* NUL-terminated, truncated */
        uint32_t cmdline_len;
        const uint8_t *rsdp_copy;       /* MB2_RSDP_COPY bytes of the tag, or NULL */
};

/* Physical bytes [base, end) no module may overlap: the kernel image. */
struct mb2_keep_out {
        uint64_t base, end;
};

/* mb2_tags_parse: walks the tags of the information block at info, of at
 * most max bytes readable there: memory map ranges (E820 types) and module
 * claims go into in, the rest into ret (zeroed first). A tag running past
 * the block's total size, or a total past max, ends the walk; malformed
 * tags, and modules overlapping k, are skipped. */
void mb2_tags_parse(const void *info, uint32_t max, const struct mb2_keep_out *k,
                    struct arch_memmap *in, struct mb2_parsed *ret);

#endif
