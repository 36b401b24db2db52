/* efi/pecheck.h: is this buffer the start of an x86-64 or aarch64 UEFI
 * application? */
#ifndef THATTE_EFI_PECHECK_H
#define THATTE_EFI_PECHECK_H

#include <stddef.h>
#include <stdint.h>

/* Enough of a file's start for any image gnu-efi or a linker produces. */
#define EFI_PE_HEADER_MAX 65536

enum efi_pe_result {
        EFI_PE_OK,
        EFI_PE_NO_MZ,           /* no "MZ" DOS header */
        EFI_PE_BAD_OFFSET,      /* PE header offset outside what was read */
        EFI_PE_NO_SIGNATURE,    /* no "PE\0\0" at that offset */
        EFI_PE_BAD_MACHINE,      /* COFF machine is neither AMD64 (0x8664) nor ARM64 (0xaa64) */
        EFI_PE_NOT_PE32PLUS,    /* optional header missing or magic not 0x20b */
        EFI_PE_NOT_EFI_APP,     /* subsystem is not EFI application (10) */
};

/* efi_pe_check: checks the DOS stub, PE signature, machine, optional
 * header magic and subsystem. Takes the first len bytes of a file (pass
 * up to EFI_PE_HEADER_MAX). Returns EFI_PE_OK or the first problem found. */
enum efi_pe_result efi_pe_check(const uint8_t *buf, size_t len);

/* The COFF machines efi_pe_check accepts. */
#define EFI_PE_MACHINE_X86_64 0x8664
#define EFI_PE_MACHINE_AARCH64 0xaa64

/* efi_pe_machine: the COFF machine of an application efi_pe_check accepts
 * (one of the two above), 0 for anything it refuses. */
uint16_t efi_pe_machine(const uint8_t *buf, size_t len);

/* efi_pe_first_gap: checks that every byte of the len bytes of a PE32+
 * file at buf lies in its headers ([0, SizeOfHeaders)), in the raw data of
 * a section, or in the attribute certificate table: an Authenticode
 * signature covers exactly those, so a byte elsewhere could change without
 * breaking it (sbsign warns of "gaps between PE/COFF sections").
 * Returns 0 when nothing is uncovered; 1 and the first uncovered offset in
 * ret_offset; -1 when the headers cannot be read or a section's raw data or
 * the certificate table lies outside the file (ret_offset untouched). */
int efi_pe_first_gap(const uint8_t *buf, size_t len, size_t *ret_offset);

/* efi_pe_strerror: a short English phrase for a result, never NULL. */
const char *efi_pe_strerror(enum efi_pe_result r);

#endif
