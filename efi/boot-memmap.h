/* efi/boot-memmap.h: the firmware's memory map, normalised into the
 * sorted, merged struct thatte_mem_range list of bootinfo.h.
 *
 * Freestanding on purpose: thatte-boot.efi runs it after ExitBootServices
 * (no allocation: every buffer is the caller's), tests/unit/
 * efi-boot-memmap.c runs it on crafted descriptor arrays. */
#ifndef THATTE_EFI_BOOT_MEMMAP_H
#define THATTE_EFI_BOOT_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#include <thatte/bootinfo.h>

/* The start of an EFI_MEMORY_DESCRIPTOR (UEFI spec, GetMemoryMap). The
 * firmware's descriptors may be longer: walk them by the DescriptorSize it
 * returns, never by sizeof. */
struct boot_efi_desc {
        uint32_t type;
        uint32_t pad;
        uint64_t phys;
        uint64_t virt;
        uint64_t pages;         /* 4 KiB pages */
        uint64_t attr;
};

/* A range the loader itself placed (kernel, module, boot info): its type
 * wins over whatever the firmware calls that memory. */
struct boot_mem_claim {
        uint64_t base, size;    /* widened to whole pages */
        uint32_t type;          /* enum thatte_mem_type */
};

/* boot_memmap_type: the thatte type of an EFI memory type. */
uint32_t boot_memmap_type(uint32_t efi_type);

/* boot_memmap_capacity: entries the out and scratch arrays of
 * boot_memmap_convert need for n_desc descriptors and n_claims claims. */
size_t boot_memmap_capacity(size_t n_desc, size_t n_claims);

/* boot_memmap_convert: converts the map_size bytes of descriptors at map
 * (each desc_size bytes apart) plus the claims into out: sorted by base,
 * no overlaps (where sources overlap, a claim beats the firmware, and a
 * stricter type beats USABLE), neighbours of one type merged, holes left
 * out, empty descriptors skipped. out and scratch hold cap entries each
 * (see boot_memmap_capacity). Returns 0 and the count in ret_count; -1
 * when desc_size is smaller than a descriptor or cap is too small. */
int boot_memmap_convert(const void *map, size_t map_size, size_t desc_size,
                        const struct boot_mem_claim *claims, size_t n_claims,
                        struct thatte_mem_range *out, uint64_t *scratch, size_t cap,
                        size_t *ret_count);

#endif
