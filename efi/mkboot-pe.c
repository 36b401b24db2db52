/* efi/mkboot-pe.c: the PE writer of thatte-mkboot. Field offsets are those
 * of the Microsoft PE format: COFF NumberOfSections at 2; optional header
 * (PE32+) SizeOfInitializedData at 8, SizeOfImage at 56, SizeOfHeaders at
 * 60, CheckSum at 64, the certificate table's data directory at 144.
 *
 * The output is laid out anew: the headers, then each section's raw data
 * in header order, back to back at FileAlignment, then the new sections.
 * What the input held outside its sections (gnu-efi's loader keeps a COFF
 * symbol table after its last section) is left out, so every byte of the
 * output is in the headers or a section: an Authenticode signature covers
 * exactly those (efi_pe_first_gap checks it). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot-pe.h"
#include "mkboot-pe.h"
#include "pecheck.h"
#include "le.h"

#define OPT_SIZE_OF_INIT_DATA 8
#define OPT_SIZE_OF_IMAGE 56
#define OPT_CHECKSUM 64
#define OPT_NUM_RVA 108
#define OPT_DATA_DIRS 112
#define DIR_SECURITY 4
#define DIR_DEBUG 6
#define COFF_SYMBOL_TABLE 8
#define COFF_NUMBER_OF_SYMBOLS 12
#define SCN_INITIALIZED_DATA 0x00000040u
#define SCN_MEM_READ 0x40000000u
#define MAX_IMAGE 0xffffffffull

static uint64_t align_up(uint64_t v, uint64_t a)
{
        return (v + a - 1) / a * a;
}

static int is_pow2(uint32_t v)
{
        return v && !(v & (v - 1));
}

/* The image's end in memory; refuses names already present and raw data
 * outside the file or inside the headers. */
static int scan_sections(const uint8_t *in, size_t in_len, const struct boot_pe_layout *l,
                         const struct mkboot_pe_add *add, size_t n, uint64_t *ret_vend,
                         uint64_t *ret_raw_total)
{
        uint64_t vend = l->size_of_headers, raw_total = 0;

        for (unsigned i = 0; i < l->n_sections; i++) {
                struct boot_pe_section s;

                boot_pe_section(in, l, i, &s);
                for (size_t k = 0; k < n; k++)
                        if (strncmp(s.name, add[k].name, 8) == 0)
                                return -EEXIST;
                if ((uint64_t)s.rva + s.vsize > vend)
                        vend = (uint64_t)s.rva + s.vsize;
                if (s.raw_size && (s.raw_offset < l->size_of_headers ||
                                   (uint64_t)s.raw_offset + s.raw_size > in_len))
                        return -ENOEXEC;
                raw_total += align_up(s.raw_size, l->file_align);
        }
        *ret_vend = vend;
        *ret_raw_total = raw_total;
        return 0;
}

/* Checks the headers can take n more section headers in zeroed slack. */
static int check_room(const uint8_t *in, const struct boot_pe_layout *l, size_t n)
{
        uint64_t end = l->sections + (uint64_t)(l->n_sections + n) * BOOT_PE_SECTION_HEADER_SIZE;
        size_t used = l->sections + (size_t)l->n_sections * BOOT_PE_SECTION_HEADER_SIZE;

        if (end > l->size_of_headers)
                return -ENOSPC;
        for (size_t i = used; i < end; i++)
                if (in[i])
                        return -ENOSPC;
        return 0;
}

/* The PE checksum: 16-bit one's-complement-style sum of the file with the
 * CheckSum field taken as 0, folded, plus the file length. */
static uint32_t pe_checksum(const uint8_t *b, size_t len, size_t checksum_off)
{
        uint64_t sum = 0;

        for (size_t i = 0; i < len; i += 2) {
                uint32_t w = b[i] | (i + 1 < len ? (uint32_t)b[i + 1] << 8 : 0);

                if (i >= checksum_off && i < checksum_off + 4)
                        w = 0;
                sum += w;
                sum = (sum & 0xffff) + (sum >> 16);
        }
        sum = (sum & 0xffff) + (sum >> 16);
        return (uint32_t)(sum + len);
}

static void write_header(uint8_t *h, const struct mkboot_pe_add *a, uint32_t rva, uint32_t raw_off,
                         uint32_t raw_size)
{
        memset(h, 0, BOOT_PE_SECTION_HEADER_SIZE);
        memcpy(h, a->name, strnlen(a->name, 8));
        efi_put_le(h + 8, 4, (uint32_t)a->size);
        efi_put_le(h + 12, 4, rva);
        efi_put_le(h + 16, 4, raw_size);
        efi_put_le(h + 20, 4, raw_off);
        efi_put_le(h + 36, 4, SCN_INITIALIZED_DATA | SCN_MEM_READ);
}

/* Lays the new sections out: file offsets from old_end, RVAs after vend. */
static int plan(const struct boot_pe_layout *l, uint64_t old_end, uint64_t vend,
                const struct mkboot_pe_add *add, size_t n, uint64_t *raw, uint64_t *rva,
                uint64_t *ret_file_len, uint64_t *ret_image_size)
{
        uint64_t off = old_end, va = align_up(vend, l->section_align);

        for (size_t i = 0; i < n; i++) {
                if (!add[i].size || strnlen(add[i].name, 9) > 8)
                        return -EINVAL;
                raw[i] = off;
                rva[i] = va;
                off = align_up(off + add[i].size, l->file_align);
                va = align_up(va + add[i].size, l->section_align);
                if (off > MAX_IMAGE || va > MAX_IMAGE)
                        return -EFBIG;
        }
        *ret_file_len = off;
        *ret_image_size = va;
        return 0;
}

/* The size field of data directory i, 0 when the header has no such entry. */
static uint32_t data_dir_size(const uint8_t *in, const struct boot_pe_layout *l, unsigned i)
{
        size_t at = OPT_DATA_DIRS + 8 * (size_t)i;

        if (l->sections - l->opt < at + 8 || efi_le32(in + l->opt + OPT_NUM_RVA) <= i)
                return 0;
        return efi_le32(in + l->opt + at + 4);
}

static int check_input(const uint8_t *in, size_t in_len, struct boot_pe_layout *l)
{
        if (efi_pe_check(in, in_len) != EFI_PE_OK || boot_pe_layout(in, in_len, l) < 0)
                return -ENOEXEC;
        if (!is_pow2(l->file_align) || !is_pow2(l->section_align) || l->size_of_headers > in_len ||
            l->size_of_headers % l->file_align)
                return -ENOEXEC;
        /* A signature covers the file as it was; it would no longer match.
         * Debug entries hold file offsets the new layout would break. */
        if (data_dir_size(in, l, DIR_SECURITY) || data_dir_size(in, l, DIR_DEBUG))
                return -ENOEXEC;
        return 0;
}

/* Copies the input's sections to out back to back from the end of the
 * headers, rewriting their file offsets and padded sizes. */
static void copy_sections(const uint8_t *in, const struct boot_pe_layout *l, uint8_t *out)
{
        uint64_t off = l->size_of_headers;

        for (unsigned i = 0; i < l->n_sections; i++) {
                uint8_t *h = out + l->sections + (size_t)i * BOOT_PE_SECTION_HEADER_SIZE;
                struct boot_pe_section s;
                uint64_t padded;

                boot_pe_section(in, l, i, &s);
                padded = align_up(s.raw_size, l->file_align);
                efi_put_le(h + 16, 4, padded);
                efi_put_le(h + 20, 4, padded ? off : 0);
                memcpy(out + off, in + s.raw_offset, s.raw_size);
                off += padded;
        }
}

int mkboot_pe_pack(const uint8_t *in, size_t in_len, const struct mkboot_pe_add *add, size_t n,
                   uint8_t **ret_out, size_t *ret_len)
{
        uint64_t vend, raw_total, file_len, image_size, raw[8], rva[8];
        uint32_t init_data;
        struct boot_pe_layout l;
        uint8_t *out;
        int r;

        if (n == 0 || n > 8)
                return -EINVAL;
        r = check_input(in, in_len, &l);
        if (r == 0)
                r = scan_sections(in, in_len, &l, add, n, &vend, &raw_total);
        if (r == 0)
                r = check_room(in, &l, n);
        if (r == 0)
                r = plan(&l, l.size_of_headers + raw_total, vend, add, n, raw, rva, &file_len, &image_size);
        if (r < 0)
                return r;

        out = calloc(1, file_len);
        if (!out)
                return -ENOMEM;
        memcpy(out, in, l.size_of_headers);
        copy_sections(in, &l, out);
        efi_put_le(out + l.coff + COFF_SYMBOL_TABLE, 4, 0);
        efi_put_le(out + l.coff + COFF_NUMBER_OF_SYMBOLS, 4, 0);
        init_data = efi_le32(in + l.opt + OPT_SIZE_OF_INIT_DATA);
        for (size_t i = 0; i < n; i++) {
                uint32_t raw_size = (uint32_t)(align_up(add[i].size, l.file_align));

                write_header(out + l.sections + (l.n_sections + i) * BOOT_PE_SECTION_HEADER_SIZE,
                             &add[i], (uint32_t)rva[i], (uint32_t)raw[i], raw_size);
                memcpy(out + raw[i], add[i].data, add[i].size);
                init_data += raw_size;
        }
        efi_put_le(out + l.coff + 2, 2, l.n_sections + (uint32_t)n);
        efi_put_le(out + l.opt + OPT_SIZE_OF_INIT_DATA, 4, init_data);
        efi_put_le(out + l.opt + OPT_SIZE_OF_IMAGE, 4, (uint32_t)image_size);
        efi_put_le(out + l.opt + OPT_CHECKSUM, 4, pe_checksum(out, file_len, l.opt + OPT_CHECKSUM));
        *ret_out = out;
        *ret_len = file_len;
        return 0;
}
