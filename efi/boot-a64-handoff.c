/* efi/boot-a64-handoff.c: from a placed Image to running it.
 *
 * The arm64 boot protocol wants, at the kernel's first instruction: MMU
 * off, data cache off, the Image and the device tree cleaned to the point
 * of coherency (the kernel reads them with the cache off), interrupts
 * masked, x0 = the device tree's physical address, x1..x3 = 0, at EL2 or
 * EL1. So: the map buffer is allocated first, then the final GetMemoryMap,
 * its place and sizes written into the tree's linux,uefi-mmap-* values
 * (placeholders since boot-a64.c), and ExitBootServices (retried with a fresh map in the same buffer while
 * the key is stale, nothing printed or allocated in between), then the
 * cache clean by address and boot-a64-enter.S. */
#include "boot-a64.h"

#define EBS_TRIES 8
/* Descriptors the map may grow by between sizing the buffer and the
 * final GetMemoryMap (the buffer itself, console output, events). */
#define MAP_SLACK 32

/* DC CVAC over [addr, addr + size): clean to the point of coherency. */
static void clean_dcache(uint64_t addr, uint64_t size)
{
        uint64_t ctr, line;

        __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
        line = 4ull << (ctr >> 16 & 0xf);       /* DminLine: log2 of words */
        for (uint64_t p = addr & ~(line - 1); p < addr + size; p += line)
                __asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
        __asm__ volatile("dsb sy" : : : "memory");
}

static efi_status exit_boot_services(efi_handle image, const struct boot_a64_state *s, void *map,
                                     uint64_t cap)
{
        struct efi_boot_services *bs = boot_a64_st->boot_services;
        efi_status status = EFI_INVALID_PARAMETER;
        uint64_t size, key, desc_size;
        uint32_t version;

        for (unsigned i = 0; i < EBS_TRIES && status == EFI_INVALID_PARAMETER; i++) {
                size = cap;
                status = bs->get_memory_map(&size, map, &key, &desc_size, &version);
                if (EFI_IS_ERROR(status))
                        /* After a failed ExitBootServices the firmware
                         * may be half shut down: no way back to it. */
                        return i ? EFI_ABORTED : status;
                /* In place, no allocation: the key stays valid. */
                boot_a64_fdt_fill_uefi((uint8_t *)s->dtb, &s->chosen, (uint64_t)boot_a64_st, (uint64_t)map,
                                       (uint32_t)size, (uint32_t)desc_size, version);
                status = bs->exit_boot_services(image, key);
        }
        return status;
}

efi_status boot_a64_handoff(efi_handle image, const struct boot_a64_state *s)
{
        struct efi_boot_services *bs = boot_a64_st->boot_services;
        uint64_t size = 0, key, desc_size = 0;
        uint32_t version;
        void *map = NULL;
        efi_status status;

        status = bs->get_memory_map(&size, NULL, &key, &desc_size, &version);
        if (status != EFI_BUFFER_TOO_SMALL || !desc_size) {
                boot_a64_say("cannot size the memory map");
                return EFI_IS_ERROR(status) ? status : EFI_LOAD_ERROR;
        }
        size += MAP_SLACK * desc_size;
        status = bs->allocate_pool(EFI_LOADER_DATA, size, &map);
        if (EFI_IS_ERROR(status)) {
                boot_a64_say("no memory for the memory map");
                return status;
        }
        boot_a64_say("exiting boot services; entry %x, device tree %x", s->kernel, s->dtb);
        status = exit_boot_services(image, s, map, size);
        if (status == EFI_BUFFER_TOO_SMALL) {
                (void)bs->free_pool(map);
                boot_a64_say("the memory map outgrew its slack");
                return status;
        }
        if (EFI_IS_ERROR(status))
                /* No console any more, and no firmware to return to. */
                for (;;)
                        __asm__ volatile("wfi");
        clean_dcache(s->kernel, s->kernel_size);
        clean_dcache(s->dtb, s->dtb_size);
        clean_dcache((uint64_t)map, size);      /* the kernel reads it too */
        boot_a64_enter(s->kernel, s->dtb);
}
