/* efi/boot-pe.h: the section table of a PE32+ image (Microsoft PE format:
 * DOS header, e_lfanew at 0x3c, "PE\0\0", 20-byte COFF header, optional
 * header, then 40-byte section headers).
 *
 * Freestanding on purpose: thatte-boot.efi finds its payload sections in
 * its own loaded image with it, thatte-mkboot reads the loader file with
 * it, and tests/unit/efi-boot-pe.c runs it on crafted images. */
#ifndef THATTE_EFI_BOOT_PE_H
#define THATTE_EFI_BOOT_PE_H

#include <stddef.h>
#include <stdint.h>

/* Section names of the packed payloads. */
#define BOOT_PE_KERNEL ".kernel"
#define BOOT_PE_ROOT ".root"
#define BOOT_PE_CMDLINE ".cmdline"
/* DriverOS's guest images (optional), and the module names the loader
 * gives them; the direct boot's bundle uses the same names. */
#define BOOT_PE_GUEST_KERNEL ".gkernel"
#define BOOT_PE_GUEST_INITRD ".ginitrd"
#define BOOT_PE_GUEST_CMDLINE ".gcmdln"
#define BOOT_MODULE_GUEST_KERNEL "driveros-kernel"
#define BOOT_MODULE_GUEST_INITRD "driveros-initrd"
#define BOOT_MODULE_GUEST_CMDLINE "driveros-cmdline"

#define BOOT_PE_SECTION_HEADER_SIZE 40

/* Where the headers are, for a reader and for the packer. */
struct boot_pe_layout {
        size_t coff;            /* offset of the COFF header (after "PE\0\0") */
        size_t opt;             /* offset of the optional header */
        size_t sections;        /* offset of the first section header */
        unsigned n_sections;
        uint32_t size_of_headers;
        uint32_t section_align, file_align;
};

/* One section, as its header says. */
struct boot_pe_section {
        char name[9];           /* NUL-terminated */
        uint32_t vsize, rva;    /* VirtualSize, VirtualAddress */
        uint32_t raw_size, raw_offset; /* SizeOfRawData, PointerToRawData */
        uint32_t flags;         /* Characteristics */
};

/* boot_pe_layout: reads the headers of the len bytes at buf (a file, or an
 * image as the firmware loaded it: the headers sit at the start of both).
 * Returns 0 and fills ret; -1 when buf is not a PE32+ image whose section
 * table lies inside len (ret untouched). */
int boot_pe_layout(const void *buf, size_t len, struct boot_pe_layout *ret);

/* boot_pe_section: the i-th section header (i < n_sections). */
void boot_pe_section(const void *buf, const struct boot_pe_layout *l, unsigned i,
                     struct boot_pe_section *ret);

/* boot_pe_find: looks for the section called name in a LOADED image of
 * len bytes at buf (sections at their RVA). Returns 0 and the section's
 * bytes (ret_data, VirtualSize in ret_size); -1 when there is no such
 * section or it lies outside len (outputs untouched). */
int boot_pe_find(const void *buf, size_t len, const char *name, const uint8_t **ret_data,
                 size_t *ret_size);

#endif
