/* mk-elf.c: reads just enough of an ELF header to find PT_INTERP, and of a
 * PE header to find SizeOfImage. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-elf.h"

/* Opens PATH and reads its header; returns the fd, -ENOEXEC when it is not
 * a 64-bit little-endian ELF executable, -errno when it cannot be read. */
static int open_elf(const char *path, Elf64_Ehdr *eh)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        if (pread(fd, eh, sizeof *eh, 0) != (ssize_t)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
            eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
            (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_phentsize != sizeof(Elf64_Phdr)) {
                close(fd);
                return -ENOEXEC;
        }
        return fd;
}

int mk_elf_machine(const char *path)
{
        Elf64_Ehdr eh;
        int fd = open_elf(path, &eh);

        if (fd < 0)
                return fd;
        close(fd);
        return eh.e_machine;
}

int mk_elf_is_static(const char *path)
{
        Elf64_Ehdr eh;
        int fd = open_elf(path, &eh), r = 1;

        if (fd < 0)
                return fd;
        for (unsigned i = 0; i < eh.e_phnum && r == 1; i++) {
                Elf64_Phdr ph;

                if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) != (ssize_t)sizeof ph)
                        r = -ENOEXEC;
                else if (ph.p_type == PT_INTERP)
                        r = 0;
        }
        close(fd);
        return r;
}

static uint32_t le32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int mk_pe_image_size(const char *path, unsigned long *ret)
{
        uint8_t h[512];
        uint32_t pe;
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        n = pread(fd, h, sizeof h, 0);
        close(fd);
        if (n < 0x40 || h[0] != 'M' || h[1] != 'Z')
                return -ENOEXEC;
        pe = le32(h + 0x3c);
        /* PE signature, 20-byte file header, optional header: magic 0x20b
         * (PE32+), SizeOfImage at offset 56. */
        if (pe > sizeof h - 24 - 60 || memcmp(h + pe, "PE\0\0", 4) ||
            h[pe + 24] != 0x0b || h[pe + 25] != 0x02)
                return -ENOEXEC;
        *ret = le32(h + pe + 24 + 56);
        return 0;
}
