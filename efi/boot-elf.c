/* efi/boot-elf.c: ELF-64 payload checks (System V ABI, ELF-64 Object File
 * Format: a 64-byte file header, e_phnum program headers of 56 bytes at
 * e_phoff). Reads little-endian fields byte by byte, so any alignment of
 * the buffer is fine, and never reads past len. */
#include "boot-elf.h"
#include "le.h"

#include <thatte/bootinfo.h>

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define PAGE_SIZE 4096u

static void read_phdr(const uint8_t *ph, uint32_t *type, struct boot_elf_segment *s, uint64_t *align)
{
        *type = (uint32_t)efi_le(ph, 4);
        s->flags = (uint32_t)efi_le(ph + 4, 4);
        s->offset = efi_le(ph + 8, 8);
        s->vaddr = efi_le(ph + 16, 8);
        s->paddr = efi_le(ph + 24, 8);
        s->filesz = efi_le(ph + 32, 8);
        s->memsz = efi_le(ph + 40, 8);
        *align = efi_le(ph + 48, 8);
}

static enum boot_elf_result check_header(const uint8_t *b, size_t len, uint64_t *phoff, unsigned *phnum)
{
        uint64_t off, n;

        if (len < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
                return len < 4 ? BOOT_ELF_TRUNCATED : BOOT_ELF_NOT_ELF;
        if (len < EHDR_SIZE)
                return BOOT_ELF_TRUNCATED;
        if (b[4] != 2 || b[5] != 1 || b[6] != 1 || efi_le(b + 20, 4) != 1)
                return BOOT_ELF_NOT_64;         /* class 64, little-endian, version 1 */
        if (efi_le(b + 18, 2) != EM_X86_64)
                return BOOT_ELF_NOT_X86_64;
        if (efi_le(b + 16, 2) != ET_EXEC)
                return BOOT_ELF_NOT_EXEC;
        off = efi_le(b + 32, 8);
        n = efi_le(b + 56, 2);
        if (efi_le(b + 54, 2) != PHDR_SIZE || n == 0 || n > BOOT_ELF_MAX_PHDRS)
                return BOOT_ELF_BAD_PHDRS;
        if (off > len || (len - off) / PHDR_SIZE < n)
                return BOOT_ELF_TRUNCATED;
        *phoff = off;
        *phnum = (unsigned)n;
        return BOOT_ELF_OK;
}

/* Where a segment may live; kernel addresses are checked as physical. */
static int placed(const struct boot_elf_segment *s, enum boot_elf_role role)
{
        if (role == BOOT_ELF_ROOT)
                return s->vaddr >= BOOT_ELF_USER_MIN && s->vaddr < BOOT_ELF_USER_MAX &&
                       s->memsz <= BOOT_ELF_USER_MAX - s->vaddr;
        return s->paddr >= BOOT_ELF_KERNEL_MIN && s->paddr < BOOT_ELF_KERNEL_MAX &&
               s->memsz <= BOOT_ELF_KERNEL_MAX - s->paddr && s->vaddr == THATTE_KERNEL_VBASE + s->paddr;
}

static enum boot_elf_result check_segment(const struct boot_elf_segment *s, uint64_t align,
                                          size_t len, enum boot_elf_role role)
{
        if (s->filesz > s->memsz)
                return BOOT_ELF_SEG_FILESZ;
        if (s->offset > len || s->filesz > len - s->offset)
                return BOOT_ELF_SEG_OUTSIDE;
        if (align > 1 && ((align & (align - 1)) || (s->vaddr - s->offset) % align))
                return BOOT_ELF_SEG_ALIGN;
        /* A kernel is copied to p_paddr and mapped at p_vaddr by whole pages. */
        if ((s->vaddr - s->paddr) % PAGE_SIZE)
                return BOOT_ELF_SEG_ALIGN;
        if (!s->memsz || !placed(s, role))
                return BOOT_ELF_SEG_PLACE;
        return BOOT_ELF_OK;
}

static int overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
        return a < b + bn && b < a + an;
}

/* Segment i against every earlier PT_LOAD, virtually and physically. */
static int overlaps_earlier(const uint8_t *ph0, unsigned i, const struct boot_elf_segment *s)
{
        for (unsigned j = 0; j < i; j++) {
                struct boot_elf_segment t;
                uint64_t align;
                uint32_t type;

                read_phdr(ph0 + (size_t)j * PHDR_SIZE, &type, &t, &align);
                if (type != PT_LOAD)
                        continue;
                if (overlap(s->vaddr, s->memsz, t.vaddr, t.memsz) ||
                    overlap(s->paddr, s->memsz, t.paddr, t.memsz))
                        return 1;
        }
        return 0;
}

static void widen(struct boot_elf_info *info, const struct boot_elf_segment *s, enum boot_elf_role role)
{
        uint64_t base = role == BOOT_ELF_KERNEL ? s->paddr : s->vaddr;

        if (!info->n_load++ || base < info->lo)
                info->lo = base;
        if (base + s->memsz > info->hi)
                info->hi = base + s->memsz;
}

static int entry_in(const struct boot_elf_segment *s, uint64_t entry)
{
        return (s->flags & PF_X) && entry >= s->vaddr && entry - s->vaddr < s->memsz;
}

enum boot_elf_result boot_elf_check(const void *buf, size_t len, enum boot_elf_role role,
                                    struct boot_elf_info *ret, unsigned *ret_phdr)
{
        const uint8_t *b = buf;
        struct boot_elf_info info = { 0 };
        enum boot_elf_result r;
        int entry_found = 0;
        unsigned phnum;
        uint64_t phoff;

        r = check_header(b, len, &phoff, &phnum);
        if (r != BOOT_ELF_OK)
                return r;
        info.entry = efi_le(b + 24, 8);
        for (unsigned i = 0; i < phnum; i++) {
                struct boot_elf_segment s;
                uint64_t align;
                uint32_t type;

                read_phdr(b + phoff + (size_t)i * PHDR_SIZE, &type, &s, &align);
                if (type != PT_LOAD)
                        continue;
                r = check_segment(&s, align, len, role);
                if (r == BOOT_ELF_OK && overlaps_earlier(b + phoff, i, &s))
                        r = BOOT_ELF_SEG_OVERLAP;
                if (r != BOOT_ELF_OK) {
                        if (ret_phdr)
                                *ret_phdr = i;
                        return r;
                }
                widen(&info, &s, role);
                entry_found |= entry_in(&s, info.entry);
        }
        if (!info.n_load)
                return BOOT_ELF_NO_LOAD;
        if (!entry_found)
                return BOOT_ELF_ENTRY;
        if (ret)
                *ret = info;
        return BOOT_ELF_OK;
}

int boot_elf_load_segment(const void *buf, size_t len, unsigned i, struct boot_elf_segment *ret)
{
        const uint8_t *b = buf;
        unsigned phnum;
        uint64_t phoff;

        if (check_header(b, len, &phoff, &phnum) != BOOT_ELF_OK)
                return -1;
        for (unsigned k = 0; k < phnum; k++) {
                struct boot_elf_segment s;
                uint64_t align;
                uint32_t type;

                read_phdr(b + phoff + (size_t)k * PHDR_SIZE, &type, &s, &align);
                if (type == PT_LOAD && i-- == 0) {
                        *ret = s;
                        return 0;
                }
        }
        return -1;
}

const char *boot_elf_strerror(enum boot_elf_result r)
{
        switch (r) {
        case BOOT_ELF_OK:
                return "valid";
        case BOOT_ELF_TRUNCATED:
                return "file is truncated (shorter than its headers say)";
        case BOOT_ELF_NOT_ELF:
                return "not an ELF file";
        case BOOT_ELF_NOT_64:
                return "not a little-endian ELF-64 file";
        case BOOT_ELF_NOT_X86_64:
                return "ELF file is not for x86-64";
        case BOOT_ELF_NOT_EXEC:
                return "ELF file is not an executable (ET_EXEC)";
        case BOOT_ELF_BAD_PHDRS:
                return "unusable program header table";
        case BOOT_ELF_NO_LOAD:
                return "no loadable (PT_LOAD) segment";
        case BOOT_ELF_SEG_FILESZ:
                return "segment has more file bytes than memory bytes";
        case BOOT_ELF_SEG_OUTSIDE:
                return "segment extends beyond the end of the file (truncated?)";
        case BOOT_ELF_SEG_ALIGN:
                return "segment addresses do not match its alignment";
        case BOOT_ELF_SEG_OVERLAP:
                return "segment overlaps an earlier one";
        case BOOT_ELF_SEG_PLACE:
                return "segment is empty or outside the allowed addresses";
        case BOOT_ELF_ENTRY:
                return "entry point is not inside an executable segment";
        }
        return "unknown ELF check result";
}
