/* efi/pecheck.c: PE/COFF header checks (Microsoft PE format: DOS header
 * with e_lfanew at 0x3c, "PE\0\0", 20-byte COFF header, optional header
 * whose Subsystem field sits at offset 68 in PE32 and PE32+ alike). */
#include "config.h"

#include <stdlib.h>

#include "boot-pe.h"
#include "pecheck.h"
#include "le.h"

#define DOS_LFANEW_OFFSET 0x3c
#define COFF_HEADER_SIZE 20
#define OPT_MAGIC_PE32PLUS 0x20b
#define OPT_SUBSYSTEM_OFFSET 68
#define SUBSYSTEM_EFI_APPLICATION 10
#define OPT_NUM_RVA 108
#define OPT_SECURITY_DIR 144

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
        if (efi_le(coff, 2) != EFI_PE_MACHINE_X86_64 && efi_le(coff, 2) != EFI_PE_MACHINE_AARCH64)
                return EFI_PE_BAD_MACHINE;
        opt_size = efi_le(coff + 16, 2);
        opt = coff + COFF_HEADER_SIZE;
        if (opt_size < OPT_SUBSYSTEM_OFFSET + 2 ||
            (size_t)(opt - buf) + OPT_SUBSYSTEM_OFFSET + 2 > len || efi_le(opt, 2) != OPT_MAGIC_PE32PLUS)
                return EFI_PE_NOT_PE32PLUS;
        if (efi_le(opt + OPT_SUBSYSTEM_OFFSET, 2) != SUBSYSTEM_EFI_APPLICATION)
                return EFI_PE_NOT_EFI_APP;
        return EFI_PE_OK;
}

uint16_t efi_pe_machine(const uint8_t *buf, size_t len)
{
        if (efi_pe_check(buf, len) != EFI_PE_OK)
                return 0;
        return (uint16_t)efi_le(buf + efi_le32(buf + DOS_LFANEW_OFFSET) + 4, 2);
}

/* A byte range [start, end) of the file. */
struct pe_range {
        uint64_t start, end;
};

/* The end of the covered run that contains off, or off when none does. */
static uint64_t covered_until(const struct pe_range *r, size_t n, uint64_t off)
{
        uint64_t end = off;
        int grew = 1;

        while (grew) {
                grew = 0;
                for (size_t i = 0; i < n; i++)
                        if (r[i].start <= end && r[i].end > end) {
                                end = r[i].end;
                                grew = 1;
                        }
        }
        return end;
}

/* The certificate table's range, empty when the file has none. Its data
 * directory holds a file offset, not an RVA. */
static struct pe_range cert_table(const uint8_t *buf, const struct boot_pe_layout *l)
{
        struct pe_range r = { 0, 0 };

        if (l->sections - l->opt >= OPT_SECURITY_DIR + 8 && efi_le32(buf + l->opt + OPT_NUM_RVA) > 4) {
                r.start = efi_le32(buf + l->opt + OPT_SECURITY_DIR);
                r.end = r.start + efi_le32(buf + l->opt + OPT_SECURITY_DIR + 4);
        }
        return r;
}

int efi_pe_first_gap(const uint8_t *buf, size_t len, size_t *ret_offset)
{
        struct boot_pe_layout l;
        struct pe_range *r;
        uint64_t end;
        size_t n = 0;

        if (efi_pe_check(buf, len) != EFI_PE_OK || boot_pe_layout(buf, len, &l) < 0 ||
            l.size_of_headers > len)
                return -1;
        r = malloc((l.n_sections + 2) * sizeof(*r));
        if (!r)
                return -1;
        r[n++] = (struct pe_range){ 0, l.size_of_headers };
        r[n++] = cert_table(buf, &l);
        for (unsigned i = 0; i < l.n_sections; i++) {
                struct boot_pe_section s;

                boot_pe_section(buf, &l, i, &s);
                r[n++] = (struct pe_range){ s.raw_offset, (uint64_t)s.raw_offset + s.raw_size };
        }
        for (size_t i = 0; i < n; i++)
                if (r[i].end > len) {
                        free(r);
                        return -1;
                }
        end = covered_until(r, n, 0);
        free(r);
        if (end >= len)
                return 0;
        *ret_offset = (size_t)end;
        return 1;
}

const char *efi_pe_strerror(enum efi_pe_result r)
{
        switch (r) {
        case EFI_PE_OK:
                return "valid x86-64 or aarch64 EFI application";
        case EFI_PE_NO_MZ:
                return "not a PE file (no MZ header)";
        case EFI_PE_BAD_OFFSET:
                return "not a PE file (PE header offset out of range)";
        case EFI_PE_NO_SIGNATURE:
                return "not a PE file (no PE signature)";
        case EFI_PE_BAD_MACHINE:
                return "PE file is neither for x86-64 nor for aarch64";
        case EFI_PE_NOT_PE32PLUS:
                return "PE file is not PE32+";
        case EFI_PE_NOT_EFI_APP:
                return "PE file is not an EFI application (subsystem 10)";
        }
        return "unknown PE check result";
}
