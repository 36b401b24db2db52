/* thatte/bootinfo.h: the boot-information block a loader hands to thatte-mk.
 *
 * Three loaders fill it: thatte-boot.efi (UEFI, efi/boot-*.c) and the
 * kernel's own PVH entry (QEMU -kernel) and Multiboot2 entry (GRUB), which
 * convert the PVH start_info or the Multiboot2 tags into it.
 * Every address in it is PHYSICAL; everything it points to lies below 4 GiB
 * and inside one THATTE_MEM_BOOTINFO or THATTE_MEM_MODULE range of its own
 * memory map, so the kernel can protect it.
 *
 * Handoff (UEFI loader -> kernel), as Limine's protocol documents its own:
 * - 64-bit long mode, paging on, interrupts off, boot services exited;
 * - CR3 maps [0, 4 GiB) identity and THATTE_KERNEL_VBASE + p -> p for
 *   p in [0, 1 GiB), both writable and executable;
 * - the kernel's PT_LOAD segments are at their p_paddr, its .bss zeroed;
 * - rdi = physical address of struct thatte_bootinfo, rsp = a 16-byte
 *   aligned stack of at least 16 KiB, identity mapped;
 * - GDT, IDT and stack still belong to the loader: the kernel replaces
 *   them before it touches memory outside its image and this block.
 *
 * Versioning: magic and version first; a kernel refuses a version it does
 * not know. Fields are only ever added at the end (size grows).
 * Freestanding: needs only <stdint.h>. */
#ifndef THATTE_BOOTINFO_H
#define THATTE_BOOTINFO_H

#include <stdint.h>

#define THATTE_BOOT_MAGIC 0x31544f4f42544854ull   /* "THTBOOT1", little-endian */
#define THATTE_BOOT_VERSION 1u

/* Where the kernel image lives: linked at THATTE_KERNEL_VBASE + its
 * physical address (kernel/arch/x86_64/kernel.lds). */
#define THATTE_KERNEL_VBASE 0xffffffff80000000ull
#define THATTE_KERNEL_PBASE 0x200000ull

/* Memory map entry types, normalised from EFI descriptors or E820. */
enum thatte_mem_type {
        THATTE_MEM_USABLE = 1,          /* free RAM: becomes Untyped for the root task */
        THATTE_MEM_RESERVED,            /* firmware, runtime services, unusable RAM */
        THATTE_MEM_ACPI_RECLAIM,        /* ACPI tables: keep, readable */
        THATTE_MEM_ACPI_NVS,            /* ACPI NVS: never touch */
        THATTE_MEM_MMIO,                /* device memory the firmware reported */
        THATTE_MEM_BOOTINFO,            /* this block, its map, strings, loader page tables */
        THATTE_MEM_KERNEL,              /* the kernel image, p_paddr..end of .bss */
        THATTE_MEM_MODULE,              /* a module's bytes (the root task ELF) */
        THATTE_MEM_BAD,                 /* RAM reported faulty */
};

struct thatte_mem_range {
        uint64_t base;                  /* page aligned */
        uint64_t size;                  /* bytes, multiple of 4096 */
        uint32_t type;                  /* enum thatte_mem_type */
        uint32_t pad;
};

/* Framebuffer pixel formats. */
enum thatte_fb_format {
        THATTE_FB_NONE = 0,             /* no linear framebuffer (none, or GOP Blt-only) */
        THATTE_FB_RGBX8888,             /* byte 0 red, 1 green, 2 blue, 3 reserved */
        THATTE_FB_BGRX8888,             /* byte 0 blue, 1 green, 2 red, 3 reserved */
        THATTE_FB_BITMASK,              /* 32 bpp, positions given by the masks */
};

struct thatte_framebuffer {
        uint64_t base;                  /* physical; 0 when format is NONE */
        uint64_t size;                  /* bytes the firmware reported */
        uint32_t width, height;         /* visible pixels */
        uint32_t stride;                /* pixels per scan line (GOP PixelsPerScanLine) */
        uint32_t format;                /* enum thatte_fb_format */
        uint32_t red_mask, green_mask, blue_mask, reserved_mask;
};

#define THATTE_MODULE_NAME_MAX 32

struct thatte_module {
        uint64_t base;                  /* physical, page aligned */
        uint64_t size;                  /* bytes */
        char name[THATTE_MODULE_NAME_MAX]; /* NUL-terminated, e.g. "root" */
};

/* TSC readings (rdtsc) the loader took, for boot timing. 0: not taken. */
struct thatte_boot_tsc {
        uint64_t loader_entry;          /* first instruction of the loader's efi_main */
        uint64_t exit_boot_services;    /* just after ExitBootServices succeeded */
        uint64_t kernel_jump;           /* just before the jump to the kernel */
};

enum thatte_boot_source {
        THATTE_BOOT_UEFI = 1,           /* thatte-boot.efi */
        THATTE_BOOT_PVH,                /* QEMU -kernel through the PVH note */
        THATTE_BOOT_MULTIBOOT2,         /* GRUB's multiboot2 (the BIOS path of thatte-mkimage) */
        THATTE_BOOT_ARM64,              /* the arm64 Image protocol (aarch64: -kernel, or thatte-boot-aa64.efi) */
};

struct thatte_bootinfo {
        uint64_t magic;                 /* THATTE_BOOT_MAGIC */
        uint32_t version;               /* THATTE_BOOT_VERSION */
        uint32_t size;                  /* sizeof(struct thatte_bootinfo) the loader knew */
        uint32_t source;                /* enum thatte_boot_source */
        uint32_t mem_count;             /* entries at mem_map */
        uint64_t mem_map;               /* physical: struct thatte_mem_range[mem_count],
                                         * sorted by base, no overlaps, neighbours of one
                                         * type merged */
        uint64_t kernel_base, kernel_end; /* physical range of the kernel image */
        uint64_t rsdp;                  /* physical address of the ACPI RSDP, 0: none */
        struct thatte_framebuffer fb;
        uint32_t module_count;
        uint32_t cmdline_len;           /* bytes, without the NUL */
        uint64_t modules;               /* physical: struct thatte_module[module_count] */
        uint64_t cmdline;               /* physical: NUL-terminated kernel command line */
        struct thatte_boot_tsc tsc;
};

#endif
