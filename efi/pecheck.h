/* efi/pecheck.h: is this buffer the start of an x86-64 UEFI application? */
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
        EFI_PE_NOT_X86_64,      /* COFF machine is not AMD64 (0x8664) */
        EFI_PE_NOT_PE32PLUS,    /* optional header missing or magic not 0x20b */
        EFI_PE_NOT_EFI_APP,     /* subsystem is not EFI application (10) */
};

/* efi_pe_check: checks the DOS stub, PE signature, machine, optional
 * header magic and subsystem. Takes the first len bytes of a file (pass
 * up to EFI_PE_HEADER_MAX). Returns EFI_PE_OK or the first problem found. */
enum efi_pe_result efi_pe_check(const uint8_t *buf, size_t len);

/* efi_pe_strerror: a short English phrase for a result, never NULL. */
const char *efi_pe_strerror(enum efi_pe_result r);

#endif
