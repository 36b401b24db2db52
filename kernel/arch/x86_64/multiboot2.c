/* kernel/arch/x86_64/multiboot2.c: GRUB's `multiboot2` command boots
 * thatte-mk through the header at the start of head.S's .text.boot (the
 * Multiboot2 specification: 32-bit protected mode, eax = 0x36d76289,
 * ebx = the boot information, a list of 8-byte aligned tags). head.S has
 * entered long mode with the boot page tables (identity 4 GiB), as for
 * PVH, so physical addresses are pointers here.
 *
 * This file turns the tags (read by mb2-tags.c: the memory map with E820
 * types, modules by the name GRUB passed after their path, `module2 FILE
 * root`, the command line, the framebuffer GRUB set up, VBE on a BIOS)
 * into the same struct thatte_bootinfo the other entries hand over, and
 * finds the RSDP. Everything it keeps is in the kernel's .bss, so the
 * information block itself may be reused; module bytes are claimed as
 * MODULE. */
#include "arch.h"
#include "mb2-tags.h"
#include "memmap.h"

#define MB2_BOOT_MAGIC 0x36d76289u
#define MB2_MAX_MAP 128u
/* The information block is below 4 GiB; no tag list is near this long. */
#define MB2_INFO_MAX (1u << 20)

static struct thatte_bootinfo mb2_bi;
static struct thatte_mem_range mb2_map[MB2_MAX_MAP];
static struct mb2_parsed mb2;
static struct arch_memmap mb2_in;

/* The tags hold a copy of the RSDP; the contract wants its address, so
 * look for the same bytes where a BIOS keeps it. 0 (acpi.c then searches
 * itself) when it is not there. */
static uint64_t find_rsdp(const uint8_t *copy)
{
        for (uint64_t p = 0xe0000; copy && p < 0x100000; p += 16)
                if (!__builtin_memcmp((const void *)(uintptr_t)p, copy, MB2_RSDP_COPY))
                        return p;
        return 0;
}

_Noreturn void arch_mb2_start(uint32_t info, uint32_t magic)
{
        uint64_t kbase = arch_virt_to_phys(__kernel_start);
        struct mb2_keep_out kernel = { kbase, arch_virt_to_phys(__kernel_end) };

        arch_serial_init();
        if (magic != MB2_BOOT_MAGIC)
                arch_panic("multiboot2 magic 0x%x, not 0x%x", magic, MB2_BOOT_MAGIC);
        if (!info || info & 7)
                arch_panic("multiboot2 information at 0x%x", info);
        arch_memmap_init(&mb2_in);
        mb2_tags_parse((const void *)(uintptr_t)info, MB2_INFO_MAX, &kernel, &mb2_in, &mb2);
        mb2_bi.magic = THATTE_BOOT_MAGIC;
        mb2_bi.version = THATTE_BOOT_VERSION;
        mb2_bi.size = sizeof(mb2_bi);
        mb2_bi.source = THATTE_BOOT_MULTIBOOT2;
        mb2_bi.fb = mb2.fb;
        mb2_bi.rsdp = find_rsdp(mb2.rsdp_copy);
        mb2_bi.cmdline = arch_virt_to_phys(mb2.cmdline);
        mb2_bi.cmdline_len = mb2.cmdline_len;
        mb2_bi.modules = arch_virt_to_phys(mb2.modules);
        mb2_bi.module_count = mb2.module_count;
        /* As for PVH: the real-mode MiB holds BIOS data; nothing there is handed out. */
        arch_memmap_claim(&mb2_in, 0, 0x100000, THATTE_MEM_RESERVED);
        arch_memmap_claim(&mb2_in, kbase, kernel.end - kbase, THATTE_MEM_KERNEL);
        mb2_bi.kernel_base = kbase;
        mb2_bi.kernel_end = kernel.end;
        mb2_bi.mem_count = arch_memmap_build(&mb2_in, mb2_map, MB2_MAX_MAP);
        mb2_bi.mem_map = arch_virt_to_phys(mb2_map);
        arch_main(arch_virt_to_phys(&mb2_bi));
}
