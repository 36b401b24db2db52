/* efi/boot.h: the parts of thatte-boot.efi (boot*.c), the loader that
 * starts thatte-mk from UEFI.
 *
 * efi_main (boot.c) finds the payload (boot-load.c), loads the kernel to
 * its physical address and the root task as a module (boot-load.c), asks
 * the firmware for the framebuffer and the RSDP (boot-firmware.c), then
 * boot-handoff.c builds the boot information, exits boot services and
 * jumps. Boot services are reached through gnu-efi's ST/BS globals. */
#ifndef THATTE_EFI_BOOT_H
#define THATTE_EFI_BOOT_H

#include <efi.h>

#include <thatte/bootinfo.h>

/* DriverOS's guest images, optional sections, in this order. */
enum { BOOT_GUEST_KERNEL, BOOT_GUEST_INITRD, BOOT_GUEST_CMDLINE, BOOT_GUESTS };
/* Modules handed to the kernel: the root task and the guest images. */
#define BOOT_MAX_MODULES (1 + BOOT_GUESTS)

/* The payload sections of the loaded image (see thatte-mkboot). */
struct boot_payload {
        const UINT8 *kernel, *root;
        UINTN kernel_len, root_len;
        const char *cmdline;    /* NUL-terminated inside its section */
        UINTN cmdline_len;      /* without the NUL */
        const UINT8 *guest[BOOT_GUESTS];        /* NULL: section absent */
        UINTN guest_len[BOOT_GUESTS];
};

/* What the loader gathered for the handoff. */
struct boot_state {
        struct boot_payload payload;
        UINT64 entry;                   /* the kernel's virtual entry point */
        UINT64 kernel_base, kernel_end; /* physical, whole pages, allocated */
        /* copies below 4 GiB: the root task ELF ("root"), then the guest images */
        struct thatte_module modules[BOOT_MAX_MODULES];
        UINT32 module_count;
        struct thatte_framebuffer fb;
        UINT64 rsdp;
        UINT64 tsc_entry;
};

/* boot_say: one line "thatte-boot: " + the formatted text (gnu-efi's
 * AsciiVSPrint: %a for a char string, %lx for a UINT64, %r for a status)
 * on the console and the serial port. Only while boot services run. */
void boot_say(const char *fmt, ...);

/* boot_find_payload: the .kernel, .root and .cmdline sections of the image
 * the firmware loaded, and the optional guest ones (.gkernel, .ginitrd,
 * .gcmdln, whose text must be NUL-terminated). Returns EFI_SUCCESS, or
 * EFI_NOT_FOUND (said why). */
EFI_STATUS boot_find_payload(EFI_HANDLE image, struct boot_payload *ret);

/* boot_load_kernel: checks the kernel ELF, allocates its physical span at
 * its own address, zeroes it and copies the PT_LOAD segments in. Sets
 * entry, kernel_base and kernel_end. Returns EFI_SUCCESS, or an error
 * (said why; nothing left allocated). */
EFI_STATUS boot_load_kernel(struct boot_state *s);

/* boot_load_module: checks the root task ELF and copies it whole into
 * pages below 4 GiB as module "root", then each guest image present as
 * driveros-kernel, driveros-initrd, driveros-cmdline. Sets modules and
 * module_count (what was copied, also on error: boot_release frees it). */
EFI_STATUS boot_load_module(struct boot_state *s);

/* boot_release: frees what boot_load_kernel and boot_load_module took,
 * for a return to the firmware. */
void boot_release(struct boot_state *s);

/* boot_find_framebuffer: the current GOP mode as a thatte_framebuffer
 * (format NONE when there is no GOP or the mode is Blt-only: said so). */
void boot_find_framebuffer(struct thatte_framebuffer *ret);

/* boot_find_rsdp: the ACPI 2.0 RSDP from the configuration table, else the
 * ACPI 1.0 one, else 0. */
UINT64 boot_find_rsdp(void);

/* boot_handoff: allocates the boot information, page tables and stack,
 * takes the final memory map, exits boot services and jumps to the
 * kernel. Returns only when it fails before ExitBootServices (said why,
 * nothing left allocated); after it, a failure is reported on COM1 and
 * the CPU halts. */
EFI_STATUS boot_handoff(EFI_HANDLE image, struct boot_state *s);

static inline UINT64 boot_rdtsc(void)
{
        UINT32 lo, hi;

        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        return (UINT64)hi << 32 | lo;
}

#endif
