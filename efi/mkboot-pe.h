/* efi/mkboot-pe.h: adds data sections to a PE32+ EFI application, as a
 * unified kernel image adds its kernel and initrd to a stub. */
#ifndef THATTE_EFI_MKBOOT_PE_H
#define THATTE_EFI_MKBOOT_PE_H

#include <stddef.h>
#include <stdint.h>

/* One section to add: initialised, read-only data. */
struct mkboot_pe_add {
        const char *name;       /* at most 8 bytes, e.g. ".kernel" */
        const uint8_t *data;
        size_t size;            /* > 0 */
};

/* mkboot_pe_pack: builds a new image from the in_len bytes at in (an
 * x86-64 PE32+ EFI application) with n sections appended: a section header
 * each in the header area's slack, the data after the last section's at
 * FileAlignment, mapped after the last section at SectionAlignment;
 * SizeOfImage, SizeOfInitializedData, NumberOfSections and CheckSum are
 * brought up to date. The input's sections are copied back to back after
 * the headers and anything outside them (a COFF symbol table) is dropped,
 * so every byte of the result is in the headers or a section.
 * Returns 0 and a malloc'd buffer in ret_out/ret_len;
 * -ENOEXEC when in is not such an application, its headers are
 * inconsistent, a section's data lies outside it, it is signed or has a
 * debug directory, -EEXIST when it already has a section of one of the names
 * (an image packed before), -ENOSPC when the headers have no room for n
 * more section headers, -EFBIG when the result passes 4 GiB, -ENOMEM. */
int mkboot_pe_pack(const uint8_t *in, size_t in_len, const struct mkboot_pe_add *add, size_t n,
                   uint8_t **ret_out, size_t *ret_len);

#endif
