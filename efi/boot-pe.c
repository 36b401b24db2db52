/* efi/boot-pe.c: reads PE32+ headers and section tables, byte by byte and
 * never past the given length. */
#include "boot-pe.h"
#include "le.h"

#define DOS_LFANEW 0x3c
#define COFF_SIZE 20
#define OPT_MAGIC_PE32PLUS 0x20b
#define OPT_SECTION_ALIGN 32
#define OPT_FILE_ALIGN 36
#define OPT_SIZE_OF_HEADERS 60

int boot_pe_layout(const void *buf, size_t len, struct boot_pe_layout *ret)
{
        const uint8_t *b = buf;
        struct boot_pe_layout l;
        uint32_t pe, opt_size;

        if (len < DOS_LFANEW + 4 || b[0] != 'M' || b[1] != 'Z')
                return -1;
        pe = efi_le(b + DOS_LFANEW, 4);
        if (pe > len || len - pe < 4 + COFF_SIZE || b[pe] != 'P' || b[pe + 1] != 'E' || b[pe + 2] ||
            b[pe + 3])
                return -1;
        l.coff = (size_t)pe + 4;
        l.n_sections = efi_le(b + l.coff + 2, 2);
        opt_size = efi_le(b + l.coff + 16, 2);
        l.opt = l.coff + COFF_SIZE;
        l.sections = l.opt + opt_size;
        if (opt_size < OPT_SIZE_OF_HEADERS + 4 || l.sections > len ||
            (len - l.sections) / BOOT_PE_SECTION_HEADER_SIZE < l.n_sections ||
            efi_le(b + l.opt, 2) != OPT_MAGIC_PE32PLUS)
                return -1;
        l.section_align = efi_le(b + l.opt + OPT_SECTION_ALIGN, 4);
        l.file_align = efi_le(b + l.opt + OPT_FILE_ALIGN, 4);
        l.size_of_headers = efi_le(b + l.opt + OPT_SIZE_OF_HEADERS, 4);
        *ret = l;
        return 0;
}

void boot_pe_section(const void *buf, const struct boot_pe_layout *l, unsigned i,
                     struct boot_pe_section *ret)
{
        const uint8_t *h = (const uint8_t *)buf + l->sections + (size_t)i * BOOT_PE_SECTION_HEADER_SIZE;

        for (unsigned k = 0; k < 8; k++)
                ret->name[k] = (char)h[k];
        ret->name[8] = '\0';
        ret->vsize = efi_le(h + 8, 4);
        ret->rva = efi_le(h + 12, 4);
        ret->raw_size = efi_le(h + 16, 4);
        ret->raw_offset = efi_le(h + 20, 4);
        ret->flags = efi_le(h + 36, 4);
}

static int same_name(const char *a, const char *b)
{
        while (*a && *a == *b) {
                a++;
                b++;
        }
        return *a == *b;
}

int boot_pe_find(const void *buf, size_t len, const char *name, const uint8_t **ret_data,
                 size_t *ret_size)
{
        struct boot_pe_layout l;

        if (boot_pe_layout(buf, len, &l) < 0)
                return -1;
        for (unsigned i = 0; i < l.n_sections; i++) {
                struct boot_pe_section s;

                boot_pe_section(buf, &l, i, &s);
                if (!same_name(s.name, name))
                        continue;
                if (s.rva > len || s.vsize > len - s.rva)
                        return -1;
                *ret_data = (const uint8_t *)buf + s.rva;
                *ret_size = s.vsize;
                return 0;
        }
        return -1;
}
