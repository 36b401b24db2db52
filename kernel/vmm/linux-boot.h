/* kernel/vmm/linux-boot.h: booting a Linux bzImage by the x86 boot
 * protocol (Documentation/arch/x86/boot.rst), 64-bit entry.
 *
 * The image, the initramfs and the command line are untrusted bytes: every
 * size and offset is checked before use. Guest RAM is one range the VMM
 * has mapped into its own address space (`host`); nothing is written
 * outside it. */
#ifndef THATTE_KVMM_LINUX_BOOT_H
#define THATTE_KVMM_LINUX_BOOT_H

#include "vmm.h"

/* What the setup header says, once checked. */
struct linux_header {
        uint16_t version;               /* 0x020c and later accepted */
        uint32_t setup_len;             /* bytes before the protected-mode kernel */
        uint32_t kernel_len;            /* bytes of the protected-mode kernel */
        uint32_t init_size;             /* memory it needs from its load address */
        uint32_t alignment;             /* kernel_alignment: a power of two */
        uint64_t pref_address;
        uint32_t cmdline_max;           /* longest command line, NUL excluded */
        uint32_t initrd_max;            /* highest byte address of the initramfs */
        bool initrd_above_4g;           /* XLF_CAN_BE_LOADED_ABOVE_4G */
        uint32_t header_end;            /* offset past the setup header in the image */
};

int linux_parse_header(const uint8_t *img, size_t len, struct linux_header *out);

/* Guest RAM: guest-physical [gpa, gpa + size), seen by the VMM at host. */
struct guest_ram {
        uint8_t *host;
        uint64_t gpa;
        uint64_t size;
};

/* A linear framebuffer to describe in screen_info (base 0: none). */
struct linux_fb {
        uint64_t base;                  /* guest-physical */
        uint32_t width, height, stride; /* pixels, pixels, bytes a line */
        uint8_t red_pos, green_pos, blue_pos; /* 32 bpp, 8 bits a channel */
        bool efi;                       /* VIDEO_TYPE_EFI (efifb); else VLFB (vesafb) */
};

/* One segment register in the VMCB's form: AMD's packed attributes. */
struct vmm_seg {
        uint16_t sel;
        uint16_t attr;
        uint32_t limit;
        uint64_t base;
};

/* Segments in the VMCB's (and MK_VCPU_STATE_SEG's) order. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_GDTR, SEG_LDTR, SEG_IDTR, SEG_TR,
       SEG_COUNT };

/* The VCPU state Linux's 64-bit entry wants. */
struct linux_entry {
        uint64_t rip, rsi, rflags;
        uint64_t cr0, cr3, cr4, efer;
        struct vmm_seg seg[SEG_COUNT];
};

/* Where everything went, in guest-physical addresses. */
struct linux_layout {
        uint64_t zero_page, cmdline, gdt, page_tables;
        uint64_t kernel, kernel_end;    /* kernel_end: kernel + init_size */
        uint64_t initrd, initrd_len;
        uint32_t e820_entries;
};

struct linux_boot {
        const uint8_t *image;
        size_t image_len;
        const uint8_t *initrd;          /* NULL or initrd_len 0: none */
        size_t initrd_len;
        const char *cmdline;            /* NUL-terminated; NULL: empty */
        const struct linux_fb *fb;      /* NULL: no framebuffer */
};

/* Places the kernel, the initramfs, the command line, the zero page, a
 * GDT and identity page tables in `ram`, and fills `entry`. 0 or
 * -VMM_ENOEXEC (not a bootable image), -VMM_ENOTSUP (too old or not a
 * relocatable 64-bit kernel), -VMM_E2BIG (command line too long),
 * -VMM_ENOSPC (does not fit), -VMM_EINVAL (bad RAM range). */
int linux_load(const struct linux_boot *boot, const struct guest_ram *ram,
               struct linux_entry *entry, struct linux_layout *layout);

#endif
