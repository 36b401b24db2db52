/* tests/unit/efi-boot-pe.c: mkboot_pe_pack on a PE32+ application crafted
 * here, then boot_pe_find on the result laid out as a firmware would load
 * it (each section at its RVA): the payloads come back byte for byte, and
 * efi_pe_first_gap finds no byte outside the headers and sections (the
 * input has a symbol table after its sections, as gnu-efi's loader has). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot-pe.h"
#include "mkboot-pe.h"
#include "pecheck.h"
#include "tests/tap.h"
#include "le.h"

#define PE 0x80
#define OPT (PE + 24)
#define SECTIONS (OPT + 240)
#define HEADERS 0x400
#define IN_LEN 0x1300   /* headers, .text, .data, then a COFF symbol table */

static uint8_t in[0x1400];

static void section(unsigned i, const char *name, uint32_t vsize, uint32_t rva, uint32_t raw_size,
                    uint32_t raw_off)
{
        uint8_t *h = in + SECTIONS + 40 * i;

        memcpy(h, name, strlen(name));
        efi_put_le(h + 8, 4, vsize);
        efi_put_le(h + 12, 4, rva);
        efi_put_le(h + 16, 4, raw_size);
        efi_put_le(h + 20, 4, raw_off);
        efi_put_le(h + 36, 4, 0x60000020);
}

/* An EFI application with .text (RVA 0x1000) and .data (RVA 0x3000). */
static void craft(uint32_t size_of_headers)
{
        memset(in, 0, sizeof(in));
        in[0] = 'M';
        in[1] = 'Z';
        efi_put_le(in + 0x3c, 4, PE);
        memcpy(in + PE, "PE\0\0", 4);
        efi_put_le(in + PE + 4, 2, 0x8664);
        efi_put_le(in + PE + 6, 2, 2);
        efi_put_le(in + PE + 12, 4, 0x1200);           /* PointerToSymbolTable */
        efi_put_le(in + PE + 16, 4, 3);                /* NumberOfSymbols */
        efi_put_le(in + PE + 20, 2, 240);
        efi_put_le(in + OPT, 2, 0x20b);
        efi_put_le(in + OPT + 8, 4, 0x200);             /* SizeOfInitializedData */
        efi_put_le(in + OPT + 32, 4, 0x1000);           /* SectionAlignment */
        efi_put_le(in + OPT + 36, 4, 0x200);            /* FileAlignment */
        efi_put_le(in + OPT + 56, 4, 0x4000);           /* SizeOfImage */
        efi_put_le(in + OPT + 60, 4, size_of_headers);
        efi_put_le(in + OPT + 68, 2, 10);               /* EFI application */
        efi_put_le(in + OPT + 108, 4, 16);
        section(0, ".text", 0xc00, 0x1000, 0xc00, 0x400);
        section(1, ".data", 0x123, 0x3000, 0x200, 0x1000);
        memset(in + 0x400, 0x90, 0xc00);
        memset(in + 0x1000, 0xda, 0x123);
        memset(in + 0x1200, 0x5e, 0x100);
}

static const uint8_t kernel[] = "KERNEL-BYTES";
static uint8_t root[5000];
static const struct mkboot_pe_add add[] = {
        { ".kernel", kernel, sizeof(kernel) },
        { ".root", root, sizeof(root) },
        { ".cmdline", (const uint8_t *)"thatte.test=panic", 18 },
};

/* The image as a firmware maps it: headers, then each section at its RVA. */
static uint8_t *load(const uint8_t *out, size_t *ret_size)
{
        struct boot_pe_layout l;
        uint8_t *img;
        size_t size;

        if (boot_pe_layout(out, 0x400, &l) < 0)
                return NULL;
        size = efi_le32(out + l.opt + 56);
        img = calloc(1, size);
        memcpy(img, out, l.size_of_headers);
        for (unsigned i = 0; i < l.n_sections; i++) {
                struct boot_pe_section s;

                boot_pe_section(out, &l, i, &s);
                memcpy(img + s.rva, out + s.raw_offset, s.vsize < s.raw_size ? s.vsize : s.raw_size);
        }
        *ret_size = size;
        return img;
}

static void check_layout(const uint8_t *out, size_t len)
{
        struct boot_pe_layout l;
        struct boot_pe_section s[5];
        int aligned = 1;

        is_int(boot_pe_layout(out, len, &l), 0, "packed image has PE32+ headers");
        is_int(l.n_sections, 5, "5 sections");
        for (unsigned i = 0; i < 5; i++)
                boot_pe_section(out, &l, i, &s[i]);
        ok(strcmp(s[2].name, ".kernel") == 0 && strcmp(s[3].name, ".root") == 0 &&
           strcmp(s[4].name, ".cmdline") == 0, "new sections named in order");
        for (unsigned i = 2; i < 5; i++)
                aligned &= s[i].rva % 0x1000 == 0 && s[i].raw_offset % 0x200 == 0 &&
                           s[i].raw_size % 0x200 == 0;
        ok(aligned, "new sections aligned in memory and in the file");
        ok(s[2].rva >= 0x4000 && s[3].rva >= s[2].rva + s[2].vsize && s[4].rva >= s[3].rva + s[3].vsize,
           "new sections after the old ones, not overlapping");
        is_int(s[2].raw_offset, 0x1200, "data appended after the last section, symbol table gone");
        is_int(efi_le32(out + l.coff + 8), 0, "no PointerToSymbolTable");
        is_int(efi_le32(out + l.coff + 12), 0, "no NumberOfSymbols");
        is_int(efi_le32(out + l.opt + 56), s[4].rva + 0x1000, "SizeOfImage covers .cmdline, aligned");
        is_int(efi_le32(out + l.opt + 8), 0x200 + 0x200 + 0x1400 + 0x200, "SizeOfInitializedData grew");
        is_int(len, s[4].raw_offset + s[4].raw_size, "file ends after the last raw data");
        ok(efi_le32(out + l.opt + 64) != 0, "checksum set");
}

/* efi_pe_first_gap says the output has no uncovered byte, and finds the
 * first one in an input that has some. */
static void check_gaps(const uint8_t *out, size_t len)
{
        size_t at = 0;

        is_int(efi_pe_first_gap(out, len, &at), 0, "packed image: every byte in headers or a section");
        is_int(efi_pe_first_gap(in, IN_LEN, &at), 1, "crafted input: symbol table not covered");
        is_int(at, 0x1200, "first gap at the symbol table");
        is_int(efi_pe_first_gap(in, 0x1200, &at), 0, "input cut after .data: no gap");
        is_int(efi_pe_first_gap(in, 0x1100, &at), -1, ".data beyond the file's end: -1");
}

static void round_trip(void)
{
        const uint8_t *data;
        uint8_t *out = NULL, *img, *again = NULL;
        size_t len = 0, size = 0, n = 0, alen;

        for (size_t i = 0; i < sizeof(root); i++)
                root[i] = (uint8_t)(i * 7);
        craft(HEADERS);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), 0, "pack succeeds");
        check_layout(out, len);
        check_gaps(out, len);
        ok(memcmp(out + 0x400, in + 0x400, 0xe00) == 0, "old contents kept");

        img = load(out, &size);
        ok(boot_pe_find(img, size, ".kernel", &data, &n) == 0 && n == sizeof(kernel) &&
           memcmp(data, kernel, n) == 0, ".kernel found in the loaded image");
        ok(boot_pe_find(img, size, ".root", &data, &n) == 0 && n == sizeof(root) &&
           memcmp(data, root, n) == 0, ".root found in the loaded image");
        ok(boot_pe_find(img, size, ".cmdline", &data, &n) == 0 && n == 18 &&
           strcmp((const char *)data, "thatte.test=panic") == 0, ".cmdline found");
        is_int(boot_pe_find(img, size, ".initrd", &data, &n), -1, "no .initrd");
        is_int(boot_pe_find(img, 0x3000, ".root", &data, &n), -1, "section beyond the given length");

        is_int(mkboot_pe_pack(out, len, add, 3, &again, &alen), -EEXIST, "packing a packed image: -EEXIST");
        free(img);
        free(out);
}

/* A gap between .text and .data in the input: .data moves up to close
 * it, and the loaded image still has .data's bytes at its RVA. */
static void closes_gaps(void)
{
        struct boot_pe_layout l;
        struct boot_pe_section s;
        uint8_t *out = NULL, *img;
        size_t len = 0, size = 0, at = 0;

        craft(HEADERS);
        section(1, ".data", 0x123, 0x3000, 0x200, 0x1100);
        memset(in + 0x1000, 0, 0x100);
        memset(in + 0x1100, 0xda, 0x123);
        is_int(efi_pe_first_gap(in, 0x1300, &at), 1, "input with a gap between sections");
        is_int(at, 0x1000, "gap found where .text ends");
        is_int(mkboot_pe_pack(in, 0x1300, add, 3, &out, &len), 0, "pack closes the gap");
        is_int(efi_pe_first_gap(out, len, &at), 0, "no gap in the output");
        boot_pe_layout(out, len, &l);
        boot_pe_section(out, &l, 1, &s);
        is_int(s.raw_offset, 0x1000, ".data right after .text");
        img = load(out, &size);
        ok(img && img[0x3000] == 0xda && img[0x3122] == 0xda && img[0x3123] == 0, ".data loads as before");
        free(img);
        free(out);
}

/* The certificate table of a signed file is covered; one that points past
 * the end is not a valid file. */
static void signed_gaps(void)
{
        static uint8_t buf[0x1300];
        size_t at = 0;

        craft(HEADERS);
        memcpy(buf, in, sizeof(buf));
        efi_put_le(buf + OPT + 144, 4, 0x1200);
        efi_put_le(buf + OPT + 148, 4, 0x100);
        is_int(efi_pe_first_gap(buf, sizeof(buf), &at), 0, "certificate table after the sections: covered");
        efi_put_le(buf + OPT + 148, 4, 0x80);
        is_int(efi_pe_first_gap(buf, sizeof(buf), &at), 1, "bytes after the certificate table");
        is_int(at, 0x1280, "found at the table's end");
        efi_put_le(buf + OPT + 148, 4, 0x200);
        is_int(efi_pe_first_gap(buf, sizeof(buf), &at), -1, "certificate table past the end: -1");
        is_int(efi_pe_first_gap(buf, 0x100, &at), -1, "truncated headers: -1");
}

static void refusals(void)
{
        uint8_t *out = NULL;
        size_t len = 0;

        /* 0x80 + 24 + 240 + 2 * 40 = 0x1a8; 4 headers end at 0x220. */
        craft(0x200);
        section(0, ".text", 0xc00, 0x1000, 0xc00, 0x200);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOSPC, "no room for 3 headers: -ENOSPC");
        is_int(mkboot_pe_pack(in, IN_LEN, add, 1, &out, &len), 0, "room for 1 header");
        free(out);
        out = NULL;

        craft(HEADERS);
        in[SECTIONS + 2 * 40 + 3] = 1;  /* something lives in the slack */
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOSPC, "slack not empty: -ENOSPC");

        craft(HEADERS);
        efi_put_le(in + PE + 4, 2, 0x14c);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOEXEC, "i386 PE: -ENOEXEC");
        craft(HEADERS);
        efi_put_le(in + OPT + 144 + 4, 4, 0x100);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOEXEC, "signed PE: -ENOEXEC");
        craft(HEADERS);
        efi_put_le(in + OPT + 36, 4, 0x300);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOEXEC, "odd FileAlignment: -ENOEXEC");
        is_int(mkboot_pe_pack(in, 0x100, add, 3, &out, &len), -ENOEXEC, "truncated PE: -ENOEXEC");
        craft(HEADERS);
        is_int(mkboot_pe_pack(in, 0x1100, add, 3, &out, &len), -ENOEXEC, ".data past the end: -ENOEXEC");
        section(1, ".data", 0x123, 0x3000, 0x200, 0x200);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOEXEC, ".data in the headers: -ENOEXEC");
        craft(HEADERS);
        efi_put_le(in + OPT + 112 + 6 * 8 + 4, 4, 0x1c);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOEXEC, "debug directory: -ENOEXEC");
        craft(0x300);
        is_int(mkboot_pe_pack(in, IN_LEN, add, 3, &out, &len), -ENOEXEC,
               "SizeOfHeaders not at FileAlignment: -ENOEXEC");
        ok(out == NULL, "nothing returned on refusal");
}

int main(void)
{
        round_trip();
        closes_gaps();
        signed_gaps();
        refusals();
        return tap_done();
}
