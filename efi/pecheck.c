/* efi/pecheck.c: PE/COFF header checks (Microsoft PE format: DOS header
 * with e_lfanew at 0x3c, "PE\0\0", 20-byte COFF header, optional header
 * whose Subsystem field sits at offset 68 in PE32 and PE32+ alike). */
#include "config.h"

#include "pecheck.h"
#include "le.h"

#define DOS_LFANEW_OFFSET 0x3c
#define COFF_HEADER_SIZE 20
#define COFF_MACHINE_AMD64 0x8664
#define OPT_MAGIC_PE32PLUS 0x20b
#define OPT_SUBSYSTEM_OFFSET 68
#define SUBSYSTEM_EFI_APPLICATION 10

enum efi_pe_result efi_pe_check(const uint8_t *buf, size_t len)
{
        const uint8_t *coff, *opt;
        uint16_t opt_size;
        uint32_t pe;

        if (len < DOS_LFANEW_OFFSET + 4 || buf[0] != 'M' || buf[1] != 'Z')
                return EFI_PE_NO_MZ;
        pe = efi_le32(buf + DOS_LFANEW_OFFSET);
        if (pe > len || len - pe < 4 + COFF_HEADER_SIZE)
                return EFI_PE_BAD_OFFSET;
        if (buf[pe] != 'P' || buf[pe + 1] != 'E' || buf[pe + 2] || buf[pe + 3])
                return EFI_PE_NO_SIGNATURE;

        coff = buf + pe + 4;
        if (efi_le(coff, 2) != COFF_MACHINE_AMD64)
                return EFI_PE_NOT_X86_64;
        opt_size = efi_le(coff + 16, 2);
        opt = coff + COFF_HEADER_SIZE;
        if (opt_size < OPT_SUBSYSTEM_OFFSET + 2 ||
            (size_t)(opt - buf) + OPT_SUBSYSTEM_OFFSET + 2 > len || efi_le(opt, 2) != OPT_MAGIC_PE32PLUS)
                return EFI_PE_NOT_PE32PLUS;
        if (efi_le(opt + OPT_SUBSYSTEM_OFFSET, 2) != SUBSYSTEM_EFI_APPLICATION)
                return EFI_PE_NOT_EFI_APP;
        return EFI_PE_OK;
}

const char *efi_pe_strerror(enum efi_pe_result r)
{
        switch (r) {
        case EFI_PE_OK:
                return "valid x86-64 EFI application";
        case EFI_PE_NO_MZ:
                return "not a PE file (no MZ header)";
        case EFI_PE_BAD_OFFSET:
                return "not a PE file (PE header offset out of range)";
        case EFI_PE_NO_SIGNATURE:
                return "not a PE file (no PE signature)";
        case EFI_PE_NOT_X86_64:
                return "PE file is not for x86-64";
        case EFI_PE_NOT_PE32PLUS:
                return "PE file is not PE32+";
        case EFI_PE_NOT_EFI_APP:
                return "PE file is not an EFI application (subsystem 10)";
        }
        return "unknown PE check result";
}
