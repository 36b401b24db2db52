/* mk-elf.h: is a program static? (The initramfs has no libraries.) */
#ifndef THATTE_DRIVEROS_MK_ELF_H
#define THATTE_DRIVEROS_MK_ELF_H

/* mk_elf_is_static: 1 when PATH is a 64-bit little-endian ELF executable
 * without a PT_INTERP (dynamic loader) header, 0 when it has one; -ENOEXEC
 * when it is not such an ELF file, -errno when it cannot be read. */
int mk_elf_is_static(const char *path);

#endif
