/* efi/mkboot-input.c: thatte-mkboot's inputs, read whole (they are small:
 * a kernel, a root task, a loader) and checked before anything is written. */
/* program_invocation_short_name is a GNU extension. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkboot-input.h"
#include "pecheck.h"

#define PROG program_invocation_short_name

static int read_all(int fd, uint8_t *buf, size_t len)
{
        size_t done = 0;

        while (done < len) {
                ssize_t n = read(fd, buf + done, len - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO;    /* the file shrank while we read it */
                done += (size_t)n;
        }
        return 0;
}

int mkboot_read_file(const char *path, uint8_t **ret_data, size_t *ret_len)
{
        struct stat st;
        uint8_t *buf;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                r = -errno;
        else if (!S_ISREG(st.st_mode))
                r = -EINVAL;
        else if ((uint64_t)st.st_size > MKBOOT_INPUT_MAX)
                r = -EFBIG;
        else
                r = 0;
        buf = r == 0 ? malloc(st.st_size ? (size_t)st.st_size : 1) : NULL;
        if (r == 0 && !buf)
                r = -ENOMEM;
        if (r == 0)
                r = read_all(fd, buf, (size_t)st.st_size);
        (void)close(fd);
        if (r < 0) {
                free(buf);
                return r;
        }
        *ret_data = buf;
        *ret_len = (size_t)st.st_size;
        return 0;
}

int mkboot_read_file_said(const char *path, uint8_t **ret_data, size_t *ret_len)
{
        int r = mkboot_read_file(path, ret_data, ret_len);

        if (r == -EINVAL)
                fprintf(stderr, "%s: %s: not a regular file\n", PROG, path);
        else if (r == -EFBIG)
                fprintf(stderr, "%s: %s: larger than %u MiB\n", PROG, path, MKBOOT_INPUT_MAX >> 20);
        else if (r < 0)
                fprintf(stderr, "%s: %s: %s\n", PROG, path, strerror(-r));
        return r;
}

/* What the placement rule is, for the message about a misplaced segment. */
static const char *place_hint(enum boot_elf_role role)
{
        return role == BOOT_ELF_KERNEL
                       ? " (a kernel is linked at 0xffffffff80000000 + its physical address, "
                         "physical addresses in [1 MiB, 1 GiB))"
                       : " (a root task lives in the user half, [0x1000, 0x800000000000))";
}

/* Says why the len bytes read from path are refused; -ENOEXEC, or 0. */
typedef int (*check_fn)(const char *path, const uint8_t *data, size_t len, enum boot_elf_role role);

static int check_elf(const char *path, const uint8_t *data, size_t len, enum boot_elf_role role)
{
        const char *what = role == BOOT_ELF_KERNEL ? "kernel" : "root task";
        unsigned phdr = (unsigned)-1;
        enum boot_elf_result res;

        res = boot_elf_check(data, len, role, NULL, &phdr);
        if (res == BOOT_ELF_OK)
                return 0;
        if (phdr != (unsigned)-1)
                fprintf(stderr, "%s: %s: %s: program header %u: %s%s\n", PROG, path, what, phdr,
                        boot_elf_strerror(res), res == BOOT_ELF_SEG_PLACE ? place_hint(role) : "");
        else
                fprintf(stderr, "%s: %s: %s: %s\n", PROG, path, what, boot_elf_strerror(res));
        return -ENOEXEC;
}

static int check_loader(const char *path, const uint8_t *data, size_t len, enum boot_elf_role role)
{
        enum efi_pe_result pe = efi_pe_check(data, len);

        (void)role;
        if (pe == EFI_PE_OK)
                return 0;
        fprintf(stderr, "%s: %s: loader: %s\n", PROG, path, efi_pe_strerror(pe));
        return -ENOEXEC;
}

static int load_checked(const char *path, check_fn check, enum boot_elf_role role, uint8_t **ret_data,
                        size_t *ret_len)
{
        uint8_t *data;
        size_t len;
        int r;

        r = mkboot_read_file_said(path, &data, &len);
        if (r < 0)
                return r;
        r = check(path, data, len, role);
        if (r < 0) {
                free(data);
                return r;
        }
        *ret_data = data;
        *ret_len = len;
        return 0;
}

int mkboot_load_elf(const char *path, enum boot_elf_role role, uint8_t **ret_data, size_t *ret_len)
{
        return load_checked(path, check_elf, role, ret_data, ret_len);
}

int mkboot_load_loader(const char *path, uint8_t **ret_data, size_t *ret_len)
{
        return load_checked(path, check_loader, BOOT_ELF_KERNEL, ret_data, ret_len);
}
