/* tests/unit/efi-pecheck.c: efi_pe_check on headers crafted here, one
 * field broken at a time, plus truncations at every interesting length. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "pecheck.h"
#include "tests/tap.h"
#include "le.h"

#define PE_OFFSET 0x80
#define OPT_OFFSET (PE_OFFSET + 4 + 20)
#define IMAGE_LEN (OPT_OFFSET + 240)

/* A minimal x86-64 EFI application header. */
static void craft(uint8_t *img)
{
        memset(img, 0, IMAGE_LEN);
        img[0] = 'M';
        img[1] = 'Z';
        efi_put_le(img + 0x3c, 4, PE_OFFSET);
        memcpy(img + PE_OFFSET, "PE\0\0", 4);
        efi_put_le(img + PE_OFFSET + 4, 2, 0x8664);             /* Machine */
        efi_put_le(img + PE_OFFSET + 4 + 16, 2, 240);           /* SizeOfOptionalHeader */
        efi_put_le(img + OPT_OFFSET, 2, 0x20b);                 /* Magic: PE32+ */
        efi_put_le(img + OPT_OFFSET + 68, 2, 10);               /* Subsystem: EFI application */
}

int main(void)
{
        uint8_t img[IMAGE_LEN];

        craft(img);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_OK, "crafted EFI application passes");

        craft(img);
        img[1] = 'X';
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_NO_MZ, "no MZ");
        is_int(efi_pe_check((const uint8_t *)"MZ", 2), EFI_PE_NO_MZ, "2-byte file is not PE");
        is_int(efi_pe_check(img, 0), EFI_PE_NO_MZ, "empty file is not PE");

        craft(img);
        efi_put_le(img + 0x3c, 4, 0xfffffff0);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_BAD_OFFSET, "e_lfanew far beyond the file");
        craft(img);
        is_int(efi_pe_check(img, PE_OFFSET + 10), EFI_PE_BAD_OFFSET, "file ends inside COFF header");

        craft(img);
        img[PE_OFFSET + 2] = 'X';
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_NO_SIGNATURE, "PE signature broken");

        craft(img);
        efi_put_le(img + PE_OFFSET + 4, 2, 0x014c);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_BAD_MACHINE, "i386 machine refused");
        is_int(efi_pe_machine(img, sizeof(img)), 0, "i386: no machine reported");
        efi_put_le(img + PE_OFFSET + 4, 2, 0x01c4);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_BAD_MACHINE, "32-bit ARM machine refused");
        efi_put_le(img + PE_OFFSET + 4, 2, 0xaa64);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_OK, "arm64 machine accepted");
        is_int(efi_pe_machine(img, sizeof(img)), 0xaa64, "arm64 machine reported");
        craft(img);
        is_int(efi_pe_machine(img, sizeof(img)), 0x8664, "x86-64 machine reported");

        craft(img);
        efi_put_le(img + OPT_OFFSET, 2, 0x10b);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_NOT_PE32PLUS, "PE32 (0x10b) refused");
        craft(img);
        efi_put_le(img + PE_OFFSET + 4 + 16, 2, 0);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_NOT_PE32PLUS, "no optional header refused");
        craft(img);
        is_int(efi_pe_check(img, OPT_OFFSET + 60), EFI_PE_NOT_PE32PLUS,
               "file ends before the subsystem field");

        craft(img);
        efi_put_le(img + OPT_OFFSET + 68, 2, 3);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_NOT_EFI_APP, "Windows console subsystem refused");
        efi_put_le(img + OPT_OFFSET + 68, 2, 11);
        is_int(efi_pe_check(img, sizeof(img)), EFI_PE_NOT_EFI_APP, "EFI boot service driver refused");

        ok(strstr(efi_pe_strerror(EFI_PE_NOT_EFI_APP), "EFI application") != NULL,
           "messages name the problem");
        return tap_done();
}
