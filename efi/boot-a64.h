/* efi/boot-a64.h: the parts of thatte-boot-aa64.efi, the aarch64 loader.
 *
 * boot-a64.c finds the payload in its own image, places the arm64 Image
 * as its header asks (2 MiB aligned base at the start of RAM + text_offset)
 * and copies the firmware's device tree; boot-a64-handoff.c exits boot
 * services, cleans the caches to the point of coherency and calls
 * boot-a64-enter.S, which turns the MMU and data cache off and enters the
 * kernel with x0 = the device tree, as the arm64 boot protocol says. */
#ifndef THATTE_EFI_BOOT_A64_H
#define THATTE_EFI_BOOT_A64_H

#include "boot-a64-efi.h"
#include "boot-a64-fdt.h"

extern struct efi_system_table *boot_a64_st;

/* What the handoff needs: physical addresses and sizes (UEFI identity
 * maps memory on aarch64, so they are also the loader's pointers). */
struct boot_a64_state {
        uint64_t kernel, kernel_size;   /* the Image's load address and image_size */
        uint64_t dtb, dtb_size;         /* the loader's copy of the device tree */
        struct boot_a64_chosen chosen;  /* where its linux,uefi-* values go */
};

/* efi_main: the entry lld-link is told about (/entry:efi_main). */
efi_status efi_main(efi_handle image, struct efi_system_table *st);

/* boot_a64_say: "thatte-boot: " + fmt on the console (which AAVMF mirrors
 * to the PL011). fmt knows %s (a char string) and %x (a uint64_t, hex). */
void boot_a64_say(const char *fmt, ...);

/* boot_a64_handoff: ExitBootServices and the jump. Returns only on a
 * failure before ExitBootServices (said why). */
efi_status boot_a64_handoff(efi_handle image, const struct boot_a64_state *s);

/* boot-a64-enter.S: MMU and data cache off at the current EL, instruction
 * cache invalidated, then entry(dtb, 0, 0, 0). Interrupts masked. */
void __attribute__((noreturn)) boot_a64_enter(uint64_t entry, uint64_t dtb);

#endif
