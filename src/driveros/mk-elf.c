/* mk-elf.c: reads just enough of an ELF header to find PT_INTERP. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "driveros/mk-elf.h"

int mk_elf_is_static(const char *path)
{
        Elf64_Ehdr eh;
        int fd, r = 1;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
            eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
            (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) || eh.e_phentsize != sizeof(Elf64_Phdr)) {
                close(fd);
                return -ENOEXEC;
        }
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
