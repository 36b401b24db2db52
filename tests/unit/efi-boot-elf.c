/* tests/unit/efi-boot-elf.c: boot_elf_check on ELF files crafted here: a
 * good kernel and root task, then one field or segment broken at a time,
 * and truncations at every length. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "boot-elf.h"
#include "tests/tap.h"
#include "le.h"

#define VBASE 0xffffffff80000000ull
#define FILE_LEN 0x3000
#define PHOFF 64

static uint8_t file[FILE_LEN];

static void header(uint64_t entry, unsigned phnum)
{
        memset(file, 0, sizeof(file));
        memcpy(file, "\x7f" "ELF", 4);
        file[4] = 2;    /* ELFCLASS64 */
        file[5] = 1;    /* little-endian */
        file[6] = 1;
        efi_put_le(file + 16, 2, 2);   /* ET_EXEC */
        efi_put_le(file + 18, 2, 62);  /* EM_X86_64 */
        efi_put_le(file + 20, 4, 1);
        efi_put_le(file + 24, 8, entry);
        efi_put_le(file + 32, 8, PHOFF);
        efi_put_le(file + 52, 2, 64);
        efi_put_le(file + 54, 2, 56);
        efi_put_le(file + 56, 2, phnum);
}

static void phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t pa,
                 uint64_t filesz, uint64_t memsz, uint64_t align)
{
        uint8_t *p = file + PHOFF + 56 * i;

        efi_put_le(p, 4, type);
        efi_put_le(p + 4, 4, flags);
        efi_put_le(p + 8, 8, off);
        efi_put_le(p + 16, 8, va);
        efi_put_le(p + 24, 8, pa);
        efi_put_le(p + 32, 8, filesz);
        efi_put_le(p + 40, 8, memsz);
        efi_put_le(p + 48, 8, align);
}

/* A kernel: text at 2 MiB (R+X), data + bss after it (R+W), a note. */
static void kernel(void)
{
        header(VBASE + 0x200010, 3);
        phdr(0, 1, 5, 0x1000, VBASE + 0x200000, 0x200000, 0x1000, 0x1000, 0x1000);
        phdr(1, 1, 6, 0x2000, VBASE + 0x201000, 0x201000, 0x800, 0x5000, 0x1000);
        phdr(2, 4, 4, 0x100, 0, 0, 0x10, 0x10, 4);
}

static void root(void)
{
        header(0x400000, 2);
        phdr(0, 1, 5, 0x1000, 0x400000, 0x400000, 0x1000, 0x1000, 0x1000);
        phdr(1, 1, 6, 0x2000, 0x401000, 0x401000, 0x100, 0x2000, 0x1000);
}

static enum boot_elf_result check(enum boot_elf_role role, unsigned *bad)
{
        return boot_elf_check(file, sizeof(file), role, NULL, bad);
}

static void good_files(void)
{
        struct boot_elf_info info;
        struct boot_elf_segment s;

        kernel();
        is_int(boot_elf_check(file, sizeof(file), BOOT_ELF_KERNEL, &info, NULL), BOOT_ELF_OK, "kernel passes");
        ok(info.lo == 0x200000 && info.hi == 0x206000, "kernel span is physical 2 MiB .. +24 KiB");
        is_int(info.n_load, 2, "kernel has 2 PT_LOAD segments (the note is skipped)");
        ok(info.entry == VBASE + 0x200010, "kernel entry");
        is_int(boot_elf_load_segment(file, sizeof(file), 1, &s), 0, "second PT_LOAD found");
        ok(s.paddr == 0x201000 && s.filesz == 0x800 && s.memsz == 0x5000, "second PT_LOAD fields");
        is_int(boot_elf_load_segment(file, sizeof(file), 2, &s), -1, "no third PT_LOAD");
        is_int(check(BOOT_ELF_ROOT, NULL), BOOT_ELF_SEG_PLACE, "kernel refused as root task");

        root();
        is_int(boot_elf_check(file, sizeof(file), BOOT_ELF_ROOT, &info, NULL), BOOT_ELF_OK, "root passes");
        ok(info.lo == 0x400000 && info.hi == 0x403000, "root span is virtual");
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_PLACE, "root task refused as kernel");
}

static void bad_headers(void)
{
        kernel();
        file[1] = 'X';
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_NOT_ELF, "not ELF");
        kernel();
        file[4] = 1;
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_NOT_64, "ELF-32 refused");
        kernel();
        file[5] = 2;
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_NOT_64, "big-endian refused");
        kernel();
        efi_put_le(file + 18, 2, 183); /* EM_AARCH64 */
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_NOT_X86_64, "wrong machine");
        kernel();
        efi_put_le(file + 16, 2, 3);   /* ET_DYN */
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_NOT_EXEC, "shared object refused");
        kernel();
        efi_put_le(file + 54, 2, 32);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_BAD_PHDRS, "wrong e_phentsize");
        kernel();
        efi_put_le(file + 56, 2, 0);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_BAD_PHDRS, "no program headers");
        kernel();
        efi_put_le(file + 32, 8, FILE_LEN - 60);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_TRUNCATED, "program headers past the end");
        kernel();
        phdr(0, 4, 4, 0, 0, 0, 0, 0, 0);
        phdr(1, 6, 4, 0, 0, 0, 0, 0, 0);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_NO_LOAD, "no PT_LOAD");
}

static void bad_segments(void)
{
        unsigned bad = 99;

        kernel();
        phdr(1, 1, 6, 0x2000, VBASE + 0x201000, 0x201000, 0x6000, 0x5000, 0x1000);
        is_int(check(BOOT_ELF_KERNEL, &bad), BOOT_ELF_SEG_FILESZ, "filesz > memsz");
        is_int(bad, 1, "... names program header 1");
        kernel();
        phdr(1, 1, 6, 0x2000, VBASE + 0x201000, 0x201000, 0x1001, 0x5000, 0x1000);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_OUTSIDE, "segment past the end of the file");
        kernel();
        phdr(1, 1, 6, 0x2010, VBASE + 0x201000, 0x201000, 0x800, 0x5000, 0x1000);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_ALIGN, "offset and address not congruent");
        kernel();
        phdr(1, 1, 6, 0x2000, VBASE + 0x201000, 0x201000, 0x800, 0x5000, 0x1800);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_ALIGN, "alignment not a power of two");
        kernel();
        phdr(1, 1, 6, 0x1800, VBASE + 0x200800, 0x200800, 0x800, 0x5000, 0x800);
        is_int(check(BOOT_ELF_KERNEL, &bad), BOOT_ELF_SEG_OVERLAP, "overlapping segments");
        is_int(bad, 1, "... names program header 1");
        kernel();
        phdr(0, 1, 5, 0x1000, VBASE + 0x200000, 0x300000, 0x1000, 0x1000, 0x1000);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_PLACE, "kernel vaddr != VBASE + paddr");
        kernel();
        phdr(0, 1, 5, 0x1000, VBASE + 0x80000, 0x80000, 0x1000, 0x1000, 0x1000);
        efi_put_le(file + 24, 8, VBASE + 0x80010);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_PLACE, "kernel below 1 MiB");
        kernel();
        phdr(1, 1, 6, 0x2000, VBASE + 0x3ffff000, 0x3ffff000, 0x800, 0x2000, 0x1000);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_SEG_PLACE, "kernel beyond 1 GiB");
        root();
        phdr(1, 1, 6, 0x2000, 0x7ffffffff000ull, 0x401000, 0x100, 0x2000, 0x1000);
        is_int(check(BOOT_ELF_ROOT, NULL), BOOT_ELF_SEG_PLACE, "root task crossing into the kernel half");
        root();
        phdr(0, 1, 5, 0x1000, 0, 0, 0x1000, 0x1000, 0x1000);
        is_int(check(BOOT_ELF_ROOT, NULL), BOOT_ELF_SEG_PLACE, "root task at page 0");
        kernel();
        efi_put_le(file + 24, 8, VBASE + 0x201000);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_ENTRY, "entry in a non-executable segment");
        kernel();
        efi_put_le(file + 24, 8, VBASE + 0x100000);
        is_int(check(BOOT_ELF_KERNEL, NULL), BOOT_ELF_ENTRY, "entry outside every segment");
}

static void truncations(void)
{
        int all_refused = 1;

        kernel();
        /* Every prefix that cuts a header or the data segment is refused. */
        for (size_t len = 0; len < 0x2800; len++)
                if (boot_elf_check(file, len, BOOT_ELF_KERNEL, NULL, NULL) == BOOT_ELF_OK)
                        all_refused = 0;
        ok(all_refused, "every truncation before the data segment's end is refused");
        is_int(boot_elf_check(file, 0x2800, BOOT_ELF_KERNEL, NULL, NULL), BOOT_ELF_OK,
               "the file cut right after its last segment passes");
        is_int(boot_elf_check(file, 40, BOOT_ELF_KERNEL, NULL, NULL), BOOT_ELF_TRUNCATED,
               "40 bytes: truncated");
        ok(strlen(boot_elf_strerror(BOOT_ELF_SEG_OVERLAP)) > 0, "messages exist");
}

int main(void)
{
        good_files();
        bad_headers();
        bad_segments();
        truncations();
        return tap_done();
}
