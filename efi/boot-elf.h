/* efi/boot-elf.h: checks a kernel or root-task ELF before it is packed or
 * loaded (ELF-64 specification: file header, program headers, PT_LOAD).
 *
 * Freestanding on purpose (stdint/stddef only): thatte-mkboot validates the
 * payloads with it on the host, thatte-boot.efi checks them again and walks
 * the kernel's segments with it inside the firmware, and
 * tests/unit/efi-boot-elf.c runs it on crafted files. */
#ifndef THATTE_EFI_BOOT_ELF_H
#define THATTE_EFI_BOOT_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Which payload a file is: the two live in different halves. */
enum boot_elf_role {
        BOOT_ELF_KERNEL,        /* higher half: p_vaddr = THATTE_KERNEL_VBASE + p_paddr */
        BOOT_ELF_ROOT,          /* user half: the root task */
};

enum boot_elf_result {
        BOOT_ELF_OK,
        BOOT_ELF_TRUNCATED,     /* shorter than its headers say */
        BOOT_ELF_NOT_ELF,       /* no \x7fELF */
        BOOT_ELF_NOT_64,        /* not ELFCLASS64 little-endian, version 1 */
        BOOT_ELF_NOT_X86_64,    /* e_machine is not EM_X86_64 */
        BOOT_ELF_NOT_EXEC,      /* e_type is not ET_EXEC */
        BOOT_ELF_BAD_PHDRS,     /* program header table size or count unusable */
        BOOT_ELF_NO_LOAD,       /* no PT_LOAD segment */
        BOOT_ELF_SEG_FILESZ,    /* p_filesz > p_memsz */
        BOOT_ELF_SEG_OUTSIDE,   /* p_offset + p_filesz beyond the end of the file */
        BOOT_ELF_SEG_ALIGN,     /* p_align not a power of two, or addresses not congruent */
        BOOT_ELF_SEG_OVERLAP,   /* two PT_LOAD segments share addresses */
        BOOT_ELF_SEG_PLACE,     /* kernel: not VBASE + p_paddr, below 1 MiB or beyond 1 GiB;
                                 * root: outside the user half */
        BOOT_ELF_ENTRY,         /* e_entry not inside an executable PT_LOAD segment */
};

/* One PT_LOAD segment. */
struct boot_elf_segment {
        uint64_t offset;        /* in the file */
        uint64_t vaddr, paddr;
        uint64_t filesz, memsz;
        uint32_t flags;         /* PF_X 1, PF_W 2, PF_R 4 */
};

/* What a valid file holds. */
struct boot_elf_info {
        uint64_t entry;
        uint64_t lo, hi;        /* kernel: physical span [lo, hi); root: virtual span */
        unsigned n_load;        /* PT_LOAD segments */
};

/* The most program headers a payload may have. */
#define BOOT_ELF_MAX_PHDRS 64
/* The kernel's physical span must lie in [BOOT_ELF_KERNEL_MIN, BOOT_ELF_KERNEL_MAX):
 * above the legacy first MiB, inside the 1 GiB the handoff maps high. */
#define BOOT_ELF_KERNEL_MIN 0x100000ull
#define BOOT_ELF_KERNEL_MAX 0x40000000ull
/* The root task's segments lie in [BOOT_ELF_USER_MIN, BOOT_ELF_USER_MAX). */
#define BOOT_ELF_USER_MIN 0x1000ull
#define BOOT_ELF_USER_MAX 0x0000800000000000ull

/* boot_elf_check: validates the len bytes at buf as a payload for role.
 * Returns BOOT_ELF_OK and fills ret (when not NULL); otherwise the first
 * problem, with the index of the offending program header in ret_phdr
 * (when not NULL; left untouched for problems of the file header). */
enum boot_elf_result boot_elf_check(const void *buf, size_t len, enum boot_elf_role role,
                                    struct boot_elf_info *ret, unsigned *ret_phdr);

/* boot_elf_load_segment: the i-th PT_LOAD segment (counting PT_LOAD only)
 * of a file boot_elf_check accepted. Returns 0, or -1 when there is no
 * such segment (ret untouched). */
int boot_elf_load_segment(const void *buf, size_t len, unsigned i, struct boot_elf_segment *ret);

/* boot_elf_strerror: a short English phrase for a result, never NULL. */
const char *boot_elf_strerror(enum boot_elf_result r);

#endif
