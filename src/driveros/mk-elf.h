/* mk-elf.h: executable headers: is a program static (the initramfs has no
 * libraries)? How large is an EFI stub? */
#ifndef THATTE_DRIVEROS_MK_ELF_H
#define THATTE_DRIVEROS_MK_ELF_H

/* mk_elf_is_static: 1 when PATH is a 64-bit little-endian ELF executable
 * without a PT_INTERP (dynamic loader) header, 0 when it has one; -ENOEXEC
 * when it is not such an ELF file, -errno when it cannot be read. */
int mk_elf_is_static(const char *path);

/* mk_elf_machine: e_machine of the ELF executable at PATH (EM_X86_64,
 * EM_AARCH64 ...), with the errors of mk_elf_is_static. */
int mk_elf_machine(const char *path);

/* mk_pe_image_size: SizeOfImage of the PE32+ file at PATH (for the EFI
 * stub: its extent in memory, above which a UKI's sections go). Returns 0
 * or -errno (-ENOEXEC when it is not a PE32+ file). */
int mk_pe_image_size(const char *path, unsigned long *ret);

#endif
